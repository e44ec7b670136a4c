// Softmax in place over `rows` rows of n values. A workgroup a row: max, then Σ exp, then the division.
#include "common/grid.wgsl"
#include "common/reduce.wgsl"

struct Params {
  rows: u32,
  n: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= P.rows) {
    return;
  }
  let o = row * P.n;
  var m = -3.4028234663852886e38;
  for (var i = tid; i < P.n; i += 64u) {
    m = max(m, x[o + i]);
  }
  m = workgroup_max(m, tid);
  var sum = 0.0;
  for (var i = tid; i < P.n; i += 64u) {
    let e = exp(x[o + i] - m);
    x[o + i] = e;
    sum += e;
  }
  let inv = 1.0 / workgroup_sum(sum, tid);
  for (var i = tid; i < P.n; i += 64u) {
    x[o + i] *= inv;
  }
}
