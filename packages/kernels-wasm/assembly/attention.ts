// Causal attention of nq query rows over a KV cache, one pass per query and up to four heads that share a kv head,
// with an online softmax per head (running max and sum, no score buffer), MQA/GQA by head grouping, optional sliding
// window and tanh softcap.
// Keys go four at a time (head widths that are a multiple of 4): four dot products share the query's loads, one
// rescale and one vector exp per block, and the output row is read and written once for four value rows; the last
// keys of a range go one at a time.
// Layouts: q and out [nq][nheads][hd]; K and V caches [pos][nkv][hd] in f32 or f16.
// Query t sits at position pos0 + t and sees keys j with max(0, p − window + 1) ≤ j ≤ p (window 0 = unlimited).
// Reference: src/reference/attention.ts.
import { f16_to_f32, f16x4_to_f32x4, f32_to_f16 } from "./half";
import { exp_f32, exp_f32x4, tanh_f32, tanh_f32x4 } from "./math";
import { dot1_f16, dot1_f32 } from "./matvec-float";
import { threadScratch } from "./thread-scratch";

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

/**
 * Raises one head's running max (st: max, then sum) to x where x is above it (NaN is not), scaling its sum and output
 * row by e^(old − x); returns the max.
 */
@inline
function raiseMax(st: usize, or: usize, hd: i32, x: f32): f32 {
  const m = load<f32>(st);
  if (!(x > m)) return m;
  const c = exp_f32(m - x); // 0 on the first key
  rescale(or, c, hd);
  store<f32>(st, x);
  store<f32>(st, load<f32>(st, 4) * c, 4);
  return x;
}

/**
 * Keys j…j+3 for one head: the four scores, the online-softmax update of the head's running max and sum (st: 8 bytes,
 * max then sum) and out += e·V over the block's value rows.
 */
@inline
function block4(
  qr: usize,
  or: usize,
  kr: usize,
  vr: usize,
  posStride: usize,
  hd: i32,
  scale: f32,
  cap: f32,
  f16: bool,
  st: usize,
): void {
  let s = f32x4.mul(scores4(kr, posStride, qr, hd, f16), f32x4.splat(scale));
  if (cap > 0) s = f32x4.mul(f32x4.splat(cap), tanh_f32x4(f32x4.div(s, f32x4.splat(cap))));
  // the block's max, skipping NaN as the one-at-a-time path does
  let bm = load<f32>(st);
  const x0 = f32x4.extract_lane(s, 0);
  const x1 = f32x4.extract_lane(s, 1);
  const x2 = f32x4.extract_lane(s, 2);
  const x3 = f32x4.extract_lane(s, 3);
  if (x0 > bm) bm = x0;
  if (x1 > bm) bm = x1;
  if (x2 > bm) bm = x2;
  if (x3 > bm) bm = x3;
  const m = raiseMax(st, or, hd, bm);
  const e = exp_f32x4(f32x4.sub(s, f32x4.splat(m)));
  const t = f32x4.add(e, i32x4.shuffle(e, e, 2, 3, 0, 1));
  store<f32>(st, load<f32>(st, 4) + f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1), 4);
  axpy4(or, e, vr, posStride, hd, f16);
}

/** Key row kr / value row vr alone for one head (the keys after the last block of four, or hd not a multiple of 4). */
@inline
function key1(qr: usize, or: usize, kr: usize, vr: usize, hd: i32, scale: f32, cap: f32, f16: bool, st: usize): void {
  let s = (f16 ? dot1_f16(kr, qr, hd) : dot1_f32(kr, qr, hd)) * scale;
  if (cap > 0) s = cap * tanh_f32(s / cap);
  const e = exp_f32(s - raiseMax(st, or, hd, s));
  store<f32>(st, load<f32>(st, 4) + e, 4);
  axpy(or, e, vr, hd, f16);
}

/**
 * Heads h…h+count−1 (count ≤ 4) of one query, which share one kv head (qr, or: the first head's rows; kc, vc: that kv
 * head's column of the caches). Key blocks go outermost and heads inside, so a block's four key and four value rows
 * come from L2 once and from L1 for the other heads (one head at a time read the whole cache per head: 128 positions of
 * Gemma-2B's 256-wide rows are 256 KB). Each head sees the same keys in the same order as alone. st: 8 bytes a head.
 */
@inline
function attendHeads(
  qr: usize,
  or: usize,
  kc: usize,
  vc: usize,
  count: i32,
  hd: i32,
  posStride: usize,
  first: i32,
  p: i32,
  scale: f32,
  cap: f32,
  f16: bool,
  st: usize,
): void {
  const row = <usize>hd * 4;
  for (let c = 0; c < count; c++) {
    memory.fill(or + <usize>c * row, 0, row);
    store<f32>(st + <usize>c * 8, f32.NEGATIVE_INFINITY);
    store<f32>(st + <usize>c * 8, 0, 4);
  }
  let j = first;
  if ((hd & 3) == 0) {
    for (; j + 3 <= p; j += 4) {
      const kr = kc + <usize>j * posStride;
      const vr = vc + <usize>j * posStride;
      for (let c = 0; c < count; c++) {
        const o = <usize>c * row;
        block4(qr + o, or + o, kr, vr, posStride, hd, scale, cap, f16, st + <usize>c * 8);
      }
    }
  }
  for (; j <= p; j++) {
    const kr = kc + <usize>j * posStride;
    const vr = vc + <usize>j * posStride;
    for (let c = 0; c < count; c++) {
      const o = <usize>c * row;
      key1(qr + o, or + o, kr, vr, hd, scale, cap, f16, st + <usize>c * 8);
    }
  }
  for (let c = 0; c < count; c++) rescale(or + <usize>c * row, (1 as f32) / load<f32>(st + <usize>c * 8, 4), hd);
}

/**
 * Items [i0, i1) of the nq·nheads (query, head) pairs, query-major, up to four neighbouring heads of a query at a time
 * where they share a kv head (MQA/GQA: Gemma-2B's eight heads share one).
 */
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
  const st = threadScratch(8 * 4);
  let item = i0;
  while (item < i1) {
    const t = item / nheads;
    const h = item % nheads;
    // this head and the next ones of its kv group inside the range, up to four
    const count = min(4, min((h / group + 1) * group - h, i1 - item));
    const p = pos0 + t;
    const first = window > 0 ? max(0, p - window + 1) : 0;
    const kvOff = <usize>(h / group) * <usize>hd * elt;
    const qr = q + <usize>item * <usize>hd * 4;
    const or = out + <usize>item * <usize>hd * 4;
    // the element type as a constant, so each inlined copy of the loops has no branch in it
    if (f16) attendHeads(qr, or, k + kvOff, v + kvOff, count, hd, posStride, first, p, scale, cap, true, st);
    else attendHeads(qr, or, k + kvOff, v + kvOff, count, hd, posStride, first, p, scale, cap, false, st);
    item += count;
  }
}

/** dst[i] = f16(src[i]) for i in [i0, i1): writes f32 keys/values into an f16 KV cache. */
export function f32_to_f16_rows(src: usize, dst: usize, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) store<u16>(dst + <usize>i * 2, <u16>f32_to_f16(load<f32>(src + <usize>i * 4)));
}

