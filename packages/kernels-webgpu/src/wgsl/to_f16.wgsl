// dst (f16, two a u32 word) [dst_at … dst_at + n) = src (f32) [src_at … src_at + n), rounded to nearest even. A thread a word of
// dst, so an odd dst_at or n keeps the neighbouring half of its first and last word untouched.
#include "common/grid.wgsl"
#include "common/half.wgsl"

struct Params {
  n: u32,
  dst_at: u32,
  src_at: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let word = P.dst_at / 2u + workgroup_index(wid, nwg) * 256u + tid;
  let end = P.dst_at + P.n;
  if (word * 2u >= end) {
    return;
  }
  var lo = dst[word] & 0xffffu;
  var hi = dst[word] >> 16u;
  let e = word * 2u;
  if (e >= P.dst_at) {
    lo = f32_to_f16(src[e - P.dst_at + P.src_at]);
  }
  if (e + 1u < end) {
    hi = f32_to_f16(src[e + 1u - P.dst_at + P.src_at]);
  }
  dst[word] = lo | (hi << 16u);
}
