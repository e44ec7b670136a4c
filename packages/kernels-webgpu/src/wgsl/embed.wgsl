// out[k] = dequantized row ids[k] of W (the embedding lookup), over one part of W (rows row0 … row0 + prow − 1):
// ids outside the part are left to the dispatch over their part. One thread per (id, chunk of 32 values).
#include "common/grid.wgsl"
#include_format

struct Params {
  row0: u32,
  prow: u32,
  cols: u32,
  row_bytes: u32,
  nchunks: u32,
  nids: u32,
  ids_at: u32, // word offset of the ids in `data`
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> w: array<u32>;
@group(0) @binding(2) var<storage, read> data: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let g = workgroup_index(wid, nwg) * 64u + tid;
  if (g >= P.nids * P.nchunks) {
    return;
  }
  let k = g / P.nchunks;
  let c = g % P.nchunks;
  let id = data[P.ids_at + k];
  if (id < P.row0 || id >= P.row0 + P.prow) {
    return;
  }
  var v: array<f32, 32>;
  decode_chunk((id - P.row0) * P.row_bytes, c, P.cols, &v);
  let n = min(32u, P.cols - c * 32u);
  let o = k * P.cols + c * 32u;
  for (var i = 0u; i < n; i++) {
    out[o + i] = v[i];
  }
}
