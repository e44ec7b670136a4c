// out = a + b for n values, one thread each.
#include "common/grid.wgsl"

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let i = workgroup_index(wid, nwg) * 256u + tid;
  if (i < P.n) {
    out[i] = a[i] + b[i];
  }
}
