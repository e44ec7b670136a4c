// Half-rotation ("NeoX") RoPE in place on x (ntok × nheads × hd): for i < hd/2,
// (x_i, x_{i+hd/2}) ← (x_i·cos − x_{i+hd/2}·sin, x_{i+hd/2}·cos + x_i·sin), with the cos/sin tables of
// kernels-wasm's ropeTables (ntok × hd/2 each, cos then sin) at word `tables_at` of `data`. A thread a pair.
#include "common/grid.wgsl"

struct Params {
  ntok: u32,
  nheads: u32,
  hd: u32,
  tables_at: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> data: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let g = workgroup_index(wid, nwg) * 256u + tid;
  let half = P.hd / 2u;
  if (g >= P.ntok * P.nheads * half) {
    return;
  }
  let i = g % half;
  let th = g / half; // token · nheads + head
  let t = th / P.nheads;
  let c = bitcast<f32>(data[P.tables_at + t * half + i]);
  let s = bitcast<f32>(data[P.tables_at + (P.ntok + t) * half + i]);
  let base = th * P.hd;
  let x0 = x[base + i];
  let x1 = x[base + half + i];
  x[base + i] = x0 * c - x1 * s;
  x[base + half + i] = x1 * c + x0 * s;
}
