// Row and element ops of the Gemma forward pass. Each takes the range of rows (or elements) it owns, so the
// thread pool can split it. Reference: src/reference/ops.ts.
import { hsum_f32x4 } from "./hsum";
import { exp_f32, exp_f32x4, tanh_f32, tanh_f32x4 } from "./math";

/** out[r] = x[r] / sqrt(mean(x[r]²) + eps) · w, for rows [r0, r1) of dim values (w holds Gemma's 1 + weight). */
export function rmsnorm(x: usize, w: usize, out: usize, dim: i32, eps: f32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + <usize>r * <usize>dim * 4;
    const or = out + <usize>r * <usize>dim * 4;
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= dim; i += 4) {
      const v = v128.load(xr + <usize>i * 4);
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    let ss = hsum_f32x4(acc);
    for (; i < dim; i++) ss += load<f32>(xr + <usize>i * 4) * load<f32>(xr + <usize>i * 4);
    const s: f32 = (1 as f32) / Mathf.sqrt(ss / <f32>dim + eps);
    const vs = f32x4.splat(s);
    i = 0;
    for (; i + 4 <= dim; i += 4) {
      const p = <usize>i * 4;
      v128.store(or + p, f32x4.mul(f32x4.mul(v128.load(xr + p), vs), v128.load(w + p)));
    }
    for (; i < dim; i++) store<f32>(or + <usize>i * 4, load<f32>(xr + <usize>i * 4) * s * load<f32>(w + <usize>i * 4));
  }
}

/** out = a + b over elements [i0, i1). */
export function add(a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4)
    v128.store(out + <usize>i * 4, f32x4.add(v128.load(a + <usize>i * 4), v128.load(b + <usize>i * 4)));
  for (; i < i1; i++) store<f32>(out + <usize>i * 4, load<f32>(a + <usize>i * 4) + load<f32>(b + <usize>i * 4));
}

/** out = a · b over elements [i0, i1). */
export function mul(a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4)
    v128.store(out + <usize>i * 4, f32x4.mul(v128.load(a + <usize>i * 4), v128.load(b + <usize>i * 4)));
  for (; i < i1; i++) store<f32>(out + <usize>i * 4, load<f32>(a + <usize>i * 4) * load<f32>(b + <usize>i * 4));
}

/** out = x · s over elements [i0, i1). */
export function scale(x: usize, s: f32, out: usize, i0: i32, i1: i32): void {
  const vs = f32x4.splat(s);
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(out + <usize>i * 4, f32x4.mul(v128.load(x + <usize>i * 4), vs));
  for (; i < i1; i++) store<f32>(out + <usize>i * 4, load<f32>(x + <usize>i * 4) * s);
}

const GELU_K: f32 = 0.7978845608028654; // sqrt(2/π)

/** out = gelu_tanh(gate) · up over elements [i0, i1): gelu(g) = ½·g·(1 + tanh(√(2/π)·(g + 0.044715·g³))). */
export function gelu_gate(gate: usize, up: usize, out: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const g = v128.load(gate + <usize>i * 4);
    const inner = f32x4.mul(
      f32x4.splat(GELU_K),
      f32x4.add(g, f32x4.mul(f32x4.splat(0.044715), f32x4.mul(g, f32x4.mul(g, g)))),
    );
    const gelu = f32x4.mul(f32x4.mul(f32x4.splat(0.5), g), f32x4.add(f32x4.splat(1), tanh_f32x4(inner)));
    v128.store(out + <usize>i * 4, f32x4.mul(gelu, v128.load(up + <usize>i * 4)));
  }
  for (; i < i1; i++) {
    const g = load<f32>(gate + <usize>i * 4);
    const gelu: f32 = 0.5 * g * (1 + tanh_f32(GELU_K * (g + 0.044715 * g * g * g)));
    store<f32>(out + <usize>i * 4, gelu * load<f32>(up + <usize>i * 4));
  }
}

/** x = cap · tanh(x / cap) in place over elements [i0, i1) (Gemma 2's logit and attention soft-capping). */
export function softcap(x: usize, cap: f32, i0: i32, i1: i32): void {
  const inv = f32x4.splat((1 as f32) / cap);
  const vc = f32x4.splat(cap);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const p = x + <usize>i * 4;
    v128.store(p, f32x4.mul(vc, tanh_f32x4(f32x4.mul(v128.load(p), inv))));
  }
  for (; i < i1; i++) store<f32>(x + <usize>i * 4, cap * tanh_f32(load<f32>(x + <usize>i * 4) / cap));
}

/** Softmax in place over rows [r0, r1) of n values. */
export function softmax(x: usize, n: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const row = x + <usize>r * <usize>n * 4;
    let m = f32.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) m = max(m, load<f32>(row + <usize>i * 4));
    const vm = f32x4.splat(m);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const p = row + <usize>i * 4;
      const e = exp_f32x4(f32x4.sub(v128.load(p), vm));
      v128.store(p, e);
      acc = f32x4.add(acc, e);
    }
    let sum = hsum_f32x4(acc);
    for (; i < n; i++) {
      const e = exp_f32(load<f32>(row + <usize>i * 4) - m);
      store<f32>(row + <usize>i * 4, e);
      sum += e;
    }
    const inv = f32x4.splat((1 as f32) / sum);
    i = 0;
    for (; i + 4 <= n; i += 4) v128.store(row + <usize>i * 4, f32x4.mul(v128.load(row + <usize>i * 4), inv));
    for (; i < n; i++) store<f32>(row + <usize>i * 4, load<f32>(row + <usize>i * 4) * f32x4.extract_lane(inv, 0));
  }
}
