// Sum and max over a workgroup of 64 threads through workgroup memory; every thread gets the result.
// Call from uniform control flow only.
var<workgroup> red: array<f32, 64>;

fn workgroup_sum(v: f32, tid: u32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s /= 2u) {
    if (tid < s) {
      red[tid] += red[tid + s];
    }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}

fn workgroup_max(v: f32, tid: u32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s /= 2u) {
    if (tid < s) {
      red[tid] = max(red[tid], red[tid + s]);
    }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}
