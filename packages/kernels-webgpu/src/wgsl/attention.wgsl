// Causal attention of nq queries over a KV cache, a workgroup per (query, head) item, query-major. Query t sits at
// position p = pos0 + t and sees keys j with max(0, p − window + 1) ≤ j ≤ p (window 0 = unlimited); KV head
// h / (nheads / nkv) (MQA/GQA). Keys go in tiles of 64 (a thread a key's score, scale and tanh softcap), with an
// online softmax: running max m and sum l, the output rescaled when m grows. Thread d owns output dims d, d + 64, …
// (hd ≤ 512). Layouts: q, out [nq][nheads][hd] f32; K, V [pos][nkv][hd], f32 or f16 (two a word).
// Reference: kernels-wasm reference/attention.ts.
#include "common/grid.wgsl"
#include "common/half.wgsl"

struct Params {
  nq: u32,
  nheads: u32,
  nkv: u32,
  hd: u32,
  pos0: u32,
  window: u32,
  scale: f32,
  cap: f32,
  f16: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<u32>;
@group(0) @binding(3) var<storage, read> v: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

const SLOTS = 8u; // output dims per thread: hd ≤ 64 · SLOTS

var<workgroup> qs: array<f32, 512>;
var<workgroup> scores: array<f32, 64>;

fn k_at(e: u32) -> f32 {
  if (P.f16 != 0u) {
    return f16_at(k[e / 2u], e);
  }
  return bitcast<f32>(k[e]);
}

fn v_at(e: u32) -> f32 {
  if (P.f16 != 0u) {
    return f16_at(v[e / 2u], e);
  }
  return bitcast<f32>(v[e]);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let item = workgroup_index(wid, nwg);
  if (item >= P.nq * P.nheads) {
    return;
  }
  let t = item / P.nheads;
  let h = item % P.nheads;
  let p = P.pos0 + t;
  let kv = (h / (P.nheads / P.nkv)) * P.hd;
  let stride = P.nkv * P.hd;
  for (var i = tid; i < P.hd; i += 64u) {
    qs[i] = q[item * P.hd + i];
  }
  workgroupBarrier();
  var first = 0u;
  if (P.window > 0u && p + 1u > P.window) {
    first = p + 1u - P.window;
  }
  var m = -3.4028234663852886e38;
  var l = 0.0;
  var acc: array<f32, SLOTS>;
  for (var j0 = first; j0 <= p; j0 += 64u) {
    let j = j0 + tid;
    if (j <= p) {
      var dot = 0.0;
      for (var i = 0u; i < P.hd; i++) {
        dot += qs[i] * k_at(j * stride + kv + i);
      }
      var s = dot * P.scale;
      if (P.cap > 0.0) {
        s = P.cap * tanh(clamp(s / P.cap, -10.0, 10.0));
      }
      scores[tid] = s;
    }
    workgroupBarrier();
    let count = min(64u, p + 1u - j0);
    var tile_max = m;
    for (var jj = 0u; jj < count; jj++) {
      tile_max = max(tile_max, scores[jj]);
    }
    let correction = exp(m - tile_max);
    l *= correction;
    for (var s = 0u; s < SLOTS; s++) {
      acc[s] *= correction;
    }
    m = tile_max;
    for (var jj = 0u; jj < count; jj++) {
      let e = exp(scores[jj] - m);
      l += e;
      let vo = (j0 + jj) * stride + kv;
      for (var s = 0u; s < SLOTS; s++) {
        let d = tid + 64u * s;
        if (d < P.hd) {
          acc[s] += e * v_at(vo + d);
        }
      }
    }
    workgroupBarrier();
  }
  for (var s = 0u; s < SLOTS; s++) {
    let d = tid + 64u * s;
    if (d < P.hd) {
      out[item * P.hd + d] = acc[s] / l;
    }
  }
}
