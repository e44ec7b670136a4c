// out[r] = x[r] / rms(x[r]) · w for `rows` rows of `dim` values (w holds Gemma's 1 + weight). A workgroup a row.
#include "common/grid.wgsl"
#include "common/reduce.wgsl"

struct Params {
  rows: u32,
  dim: u32,
  eps: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= P.rows) {
    return;
  }
  let o = row * P.dim;
  var ss = 0.0;
  for (var i = tid; i < P.dim; i += 64u) {
    ss += x[o + i] * x[o + i];
  }
  let s = 1.0 / sqrt(workgroup_sum(ss, tid) / f32(P.dim) + P.eps);
  for (var i = tid; i < P.dim; i += 64u) {
    out[o + i] = x[o + i] * s * w[i];
  }
}
