// Causal attention of nq query rows over a KV cache, one pass per (query, head) with an online softmax
// (running max and sum, no score buffer), MQA/GQA by head grouping, optional sliding window and tanh softcap.
// Keys go four at a time (head widths that are a multiple of 4): four dot products share the query's loads, one
// rescale and one vector exp per block, and the output row is read and written once for four value rows; the last
// keys of a range go one at a time.
// Layouts: q and out [nq][nheads][hd]; K and V caches [pos][nkv][hd] in f32 or f16.
// Query t sits at position pos0 + t and sees keys j with max(0, p − window + 1) ≤ j ≤ p (window 0 = unlimited).
// Reference: src/reference/attention.ts.
import { f16_to_f32, f16x4_to_f32x4, f32_to_f16 } from "./half";
import { exp_f32, exp_f32x4, tanh_f32, tanh_f32x4 } from "./math";
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

/** Four values of a K or V row at p (f32, or f16 when `f16`) as f32x4. */
@inline
function row4(p: usize, f16: bool): v128 {
  if (f16) return f16x4_to_f32x4(i32x4.extend_low_i16x8_u(v128.load64_zero(p)));
  return v128.load(p);
}

/** [Σa0, Σa1, Σa2, Σa3]: the four vectors' lane sums. */
@inline
function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = f32x4.add(i32x4.shuffle(a0, a1, 0, 4, 1, 5), i32x4.shuffle(a0, a1, 2, 6, 3, 7));
  const t1 = f32x4.add(i32x4.shuffle(a2, a3, 0, 4, 1, 5), i32x4.shuffle(a2, a3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

/**
 * The dot products of q with the four key rows k, k + stride, k + 2·stride, k + 3·stride (hd a multiple of 4). The
 * row pointers step instead of being recomputed from an index: four rows' addresses per step otherwise cost V8 more
 * than the arithmetic.
 */
@inline
function scores4(k: usize, stride: usize, q: usize, hd: i32, f16: bool): v128 {
  const step: usize = f16 ? 8 : 16;
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let k0 = k;
  let k1 = k + stride;
  let k2 = k + 2 * stride;
  let k3 = k + 3 * stride;
  let qp = q;
  const end = q + <usize>hd * 4;
  while (qp < end) {
    const qv = v128.load(qp);
    a0 = f32x4.add(a0, f32x4.mul(row4(k0, f16), qv));
    a1 = f32x4.add(a1, f32x4.mul(row4(k1, f16), qv));
    a2 = f32x4.add(a2, f32x4.mul(row4(k2, f16), qv));
    a3 = f32x4.add(a3, f32x4.mul(row4(k3, f16), qv));
    qp += 16;
    k0 += step;
    k1 += step;
    k2 += step;
    k3 += step;
  }
  return hsum4(a0, a1, a2, a3);
}

/** out += Σ e[r]·V[r] over hd values: the value rows v + r·stride (r = 0…3) weighted by e's lanes. */
@inline
function axpy4(out: usize, e: v128, v: usize, stride: usize, hd: i32, f16: bool): void {
  const step: usize = f16 ? 8 : 16;
  const e0 = f32x4.splat(f32x4.extract_lane(e, 0));
  const e1 = f32x4.splat(f32x4.extract_lane(e, 1));
  const e2 = f32x4.splat(f32x4.extract_lane(e, 2));
  const e3 = f32x4.splat(f32x4.extract_lane(e, 3));
  let v0 = v;
  let v1 = v + stride;
  let v2 = v + 2 * stride;
  let v3 = v + 3 * stride;
  let o = out;
  const end = out + <usize>hd * 4;
  while (o < end) {
    let acc = f32x4.add(v128.load(o), f32x4.mul(row4(v0, f16), e0));
    acc = f32x4.add(acc, f32x4.mul(row4(v1, f16), e1));
    acc = f32x4.add(acc, f32x4.mul(row4(v2, f16), e2));
    v128.store(o, f32x4.add(acc, f32x4.mul(row4(v3, f16), e3)));
    o += 16;
    v0 += step;
    v1 += step;
    v2 += step;
    v3 += step;
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
    let j = first;
    if ((hd & 3) == 0) {
      for (; j + 3 <= p; j += 4) {
        const kr = k + <usize>j * posStride + kvOff;
        // the element type as a constant, so each inlined copy of the loops has no branch in it
        const dots = f16 ? scores4(kr, posStride, qr, hd, true) : scores4(kr, posStride, qr, hd, false);
        let s = f32x4.mul(dots, f32x4.splat(scale));
        if (cap > 0) s = f32x4.mul(f32x4.splat(cap), tanh_f32x4(f32x4.div(s, f32x4.splat(cap))));
        // the block's max, skipping NaN as the one-at-a-time path does
        let bm = m;
        const x0 = f32x4.extract_lane(s, 0);
        const x1 = f32x4.extract_lane(s, 1);
        const x2 = f32x4.extract_lane(s, 2);
        const x3 = f32x4.extract_lane(s, 3);
        if (x0 > bm) bm = x0;
        if (x1 > bm) bm = x1;
        if (x2 > bm) bm = x2;
        if (x3 > bm) bm = x3;
        if (bm > m) {
          const c = exp_f32(m - bm); // 0 on the first block
          rescale(or, c, hd);
          l *= c;
          m = bm;
        }
        const e = exp_f32x4(f32x4.sub(s, f32x4.splat(m)));
        const t = f32x4.add(e, i32x4.shuffle(e, e, 2, 3, 0, 1));
        l += f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1);
        const vr = v + <usize>j * posStride + kvOff;
        if (f16) axpy4(or, e, vr, posStride, hd, true);
        else axpy4(or, e, vr, posStride, hd, false);
      }
    }
    for (; j <= p; j++) {
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

