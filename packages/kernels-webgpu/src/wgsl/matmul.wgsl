// Y (ntok × rows) = W · X (ntok × cols) over one part of W (rows row0 … row0 + prow − 1), W in its GGUF block layout,
// dequantized here in chunks of 32 values; X in f32 (no activation quantization on the GPU).
// A workgroup of 64 threads takes 64 / lanes rows; the `lanes` threads of a row stride over its chunks and sum
// through workgroup memory. Workgroup z takes tokens 4z … 4z + 3.
#include "common/grid.wgsl"
#include_format

struct Params {
  rows: u32, // rows of the whole matrix (the stride of Y)
  row0: u32,
  prow: u32,
  cols: u32,
  ntok: u32,
  row_bytes: u32,
  lanes: u32,
  nchunks: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> w: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

var<workgroup> partial: array<vec4f, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let r = workgroup_index(wid, nwg) * (64u / P.lanes) + tid / P.lanes;
  let lane = tid % P.lanes;
  let t0 = wid.z * 4u;
  let nt = min(4u, P.ntok - t0);
  var acc = vec4f(0.0);
  if (r < P.prow) {
    var v: array<f32, 32>;
    for (var c = lane; c < P.nchunks; c += P.lanes) {
      decode_chunk(r * P.row_bytes, c, P.cols, &v);
      let c0 = c * 32u;
      let n = min(32u, P.cols - c0);
      for (var t = 0u; t < nt; t++) {
        let xo = (t0 + t) * P.cols + c0;
        var s = 0.0;
        for (var i = 0u; i < n; i++) {
          s += v[i] * x[xo + i];
        }
        acc[t] += s;
      }
    }
  }
  partial[tid] = acc;
  workgroupBarrier();
  for (var s = P.lanes / 2u; s > 0u; s /= 2u) {
    if (lane < s) {
      partial[tid] += partial[tid + s];
    }
    workgroupBarrier();
  }
  if (lane == 0u && r < P.prow) {
    let sum = partial[tid];
    for (var t = 0u; t < nt; t++) {
      y[(t0 + t) * P.rows + P.row0 + r] = sum[t];
    }
  }
}
