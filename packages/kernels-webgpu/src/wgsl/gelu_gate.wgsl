// out = gelu_tanh(gate) · up (Gemma's gated MLP); a = gate, b = up for n values, one thread each.
#include "common/grid.wgsl"
#include "common/tanh.wgsl"

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn gelu_tanh(g: f32) -> f32 {
  return 0.5 * g * (1.0 + safe_tanh(0.7978845608028654 * (g + 0.044715 * g * g * g)));
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let i = workgroup_index(wid, nwg) * 256u + tid;
  if (i < P.n) {
    out[i] = gelu_tanh(a[i]) * b[i];
  }
}
