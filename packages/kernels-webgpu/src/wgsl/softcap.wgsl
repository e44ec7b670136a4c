// x = cap · tanh(x / cap) in place for n values.
#include "common/grid.wgsl"
#include "common/tanh.wgsl"

struct Params {
  n: u32,
  cap: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let i = workgroup_index(wid, nwg) * 256u + tid;
  if (i < P.n) {
    x[i] = P.cap * safe_tanh(x[i] / P.cap);
  }
}
