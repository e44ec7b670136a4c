// dst[dst_at … dst_at + n) = src[src_at … src_at + n) over f16 buffers (two halves a u32 word) at any offsets; a
// thread a word of dst. (f32 copies and word-aligned f16 copies use copyBufferToBuffer instead.)
#include "common/grid.wgsl"

struct Params {
  n: u32,
  src_at: u32,
  dst_at: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

fn src_half(e: u32) -> u32 {
  return (src[e / 2u] >> ((e & 1u) * 16u)) & 0xffffu;
}

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
    lo = src_half(e - P.dst_at + P.src_at);
  }
  if (e + 1u < end) {
    hi = src_half(e + 1u - P.dst_at + P.src_at);
  }
  dst[word] = lo | (hi << 16u);
}
