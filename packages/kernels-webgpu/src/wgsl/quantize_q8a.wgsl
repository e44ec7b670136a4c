// out = x as the WASM kernels see it after quantizing activations to q8a: per block of 32 values d = max|x| / 127,
// q = round-half-even(x · (1 / d)) saturated to i8, out = q · d. One thread per block. With it, the GPU's matmuls
// over quantized weights read the same activations as kernels-wasm's (and llama.cpp's) integer dot products.
#include "common/grid.wgsl"

struct Params {
  blocks: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let b = workgroup_index(wid, nwg) * 64u + tid;
  if (b >= P.blocks) {
    return;
  }
  let base = b * 32u;
  var m = 0.0;
  for (var i = 0u; i < 32u; i++) {
    m = max(m, abs(x[base + i]));
  }
  let d = m / 127.0;
  var id = 0.0;
  if (d != 0.0) {
    id = 1.0 / d;
  }
  for (var i = 0u; i < 32u; i++) {
    out[base + i] = clamp(round(x[base + i] * id), -128.0, 127.0) * d;
  }
}
