// Causal attention of nq query rows over a KV cache, one pass per (query, head) with an online softmax
// (running max and sum, no score buffer), MQA/GQA by head grouping, optional sliding window and tanh softcap.
// Layouts: q and out [nq][nheads][hd]; K and V caches [pos][nkv][hd] in f32 or f16.
// Query t sits at position pos0 + t and sees keys j with max(0, p − window + 1) ≤ j ≤ p (window 0 = unlimited).
// Reference: src/reference/attention.ts.
import { f16_to_f32, f16x4_to_f32x4, f32_to_f16 } from "./half";
import { exp_f32, tanh_f32 } from "./math";
import { dot1_f16, dot1_f32 } from "./matvec-float";

/** out += p·v over hd values, v in f32 or f16. */
@inline
function axpy(out: usize, p: f32, v: usize, hd: i32, f16: bool): void {
  const vp = f32x4.splat(p);
  let i = 0;
  if (f16) {
    for (; i + 8 <= hd; i += 8) {
      const h = v128.load(v + <usize>i * 2);
      const o = out + <usize>i * 4;
      v128.store(o, f32x4.add(v128.load(o), f32x4.mul(vp, f16x4_to_f32x4(i32x4.extend_low_i16x8_u(h)))));
      v128.store(o, f32x4.add(v128.load(o, 16), f32x4.mul(vp, f16x4_to_f32x4(i32x4.extend_high_i16x8_u(h)))), 16);
    }
    for (; i < hd; i++) store<f32>(out + <usize>i * 4, load<f32>(out + <usize>i * 4) + p * f16_to_f32(load<u16>(v + <usize>i * 2)));
  } else {
    for (; i + 4 <= hd; i += 4) {
      const o = out + <usize>i * 4;
      v128.store(o, f32x4.add(v128.load(o), f32x4.mul(vp, v128.load(v + <usize>i * 4))));
    }
    for (; i < hd; i++) store<f32>(out + <usize>i * 4, load<f32>(out + <usize>i * 4) + p * load<f32>(v + <usize>i * 4));
  }
}

/** out *= s over hd values. */
@inline
function rescale(out: usize, s: f32, hd: i32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= hd; i += 4) v128.store(out + <usize>i * 4, f32x4.mul(v128.load(out + <usize>i * 4), vs));
  for (; i < hd; i++) store<f32>(out + <usize>i * 4, load<f32>(out + <usize>i * 4) * s);
}

/** Items [i0, i1) of the nq·nheads (query, head) pairs, query-major. */
export function attention(
  q: usize,
  k: usize,
  v: usize,
  out: usize,
  nheads: i32,
  nkv: i32,
  hd: i32,
  pos0: i32,
  window: i32,
  scale: f32,
  cap: f32,
  f16: i32,
  i0: i32,
  i1: i32,
): void {
  const group = nheads / nkv;
  const elt: usize = f16 ? 2 : 4;
  const posStride = <usize>nkv * <usize>hd * elt;
  for (let item = i0; item < i1; item++) {
    const t = item / nheads;
    const h = item % nheads;
    const p = pos0 + t;
    const qr = q + <usize>item * <usize>hd * 4;
    const or = out + <usize>item * <usize>hd * 4;
    const kvOff = <usize>(h / group) * <usize>hd * elt;
    memory.fill(or, 0, <usize>hd * 4);
    const first = window > 0 ? max(0, p - window + 1) : 0;
    let m = f32.NEGATIVE_INFINITY;
    let l: f32 = 0;
    for (let j = first; j <= p; j++) {
      const kr = k + <usize>j * posStride + kvOff;
      let s = (f16 ? dot1_f16(kr, qr, hd) : dot1_f32(kr, qr, hd)) * scale;
      if (cap > 0) s = cap * tanh_f32(s / cap);
      if (s > m) {
        const c = exp_f32(m - s); // 0 on the first key
        rescale(or, c, hd);
        l *= c;
        m = s;
      }
      const e = exp_f32(s - m);
      l += e;
      axpy(or, e, v + <usize>j * posStride + kvOff, hd, f16 != 0);
    }
    rescale(or, (1 as f32) / l, hd);
  }
}

/** dst[i] = f16(src[i]) for i in [i0, i1): writes f32 keys/values into an f16 KV cache. */
export function f32_to_f16_rows(src: usize, dst: usize, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) store<u16>(dst + <usize>i * 2, <u16>f32_to_f16(load<f32>(src + <usize>i * 4)));
}

