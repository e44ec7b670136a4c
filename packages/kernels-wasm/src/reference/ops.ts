/** Scalar references of the row and element ops (f64 math): oracles for assembly/elementwise.ts and rope.ts. */

export function rmsnorm(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  rows: number,
  dim: number,
  eps: number,
): Float64Array {
  const out = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += (x[r * dim + i] ?? 0) ** 2;
    const s = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) out[r * dim + i] = (x[r * dim + i] ?? 0) * s * (w[i] ?? 0);
  }
  return out;
}

export function geluTanh(g: number): number {
  return 0.5 * g * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (g + 0.044715 * g * g * g)));
}

export function geluGate(gate: ArrayLike<number>, up: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: gate.length }, (_, i) => geluTanh(gate[i] ?? 0) * (up[i] ?? 0));
}

export function softcap(x: ArrayLike<number>, cap: number): Float64Array {
  return Float64Array.from({ length: x.length }, (_, i) => cap * Math.tanh((x[i] ?? 0) / cap));
}

export function softmax(x: ArrayLike<number>, rows: number, n: number): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) m = Math.max(m, x[r * n + i] ?? 0);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[r * n + i] = Math.exp((x[r * n + i] ?? 0) - m);
    for (let i = 0; i < n; i++) out[r * n + i] = (out[r * n + i] ?? 0) / sum;
  }
  return out;
}

/**
 * cos/sin tables (ntok × hd/2, f32) for RoPE at the given positions: angle = pos · θ^(−2i/hd).
 * Shared by the kernels' wrapper and the reference: the op under test is the rotation.
 */
export function ropeTables(
  positions: ArrayLike<number>,
  hd: number,
  theta: number,
): { cos: Float32Array; sin: Float32Array } {
  const half = hd / 2;
  const cos = new Float32Array(positions.length * half);
  const sin = new Float32Array(positions.length * half);
  for (let t = 0; t < positions.length; t++) {
    for (let i = 0; i < half; i++) {
      const angle = (positions[t] ?? 0) * theta ** ((-2 * i) / hd);
      cos[t * half + i] = Math.cos(angle);
      sin[t * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/** Half-rotation RoPE of x (ntok × nheads × hd) with tables from `ropeTables`. */
export function rope(
  x: ArrayLike<number>,
  ntok: number,
  nheads: number,
  hd: number,
  cos: Float32Array,
  sin: Float32Array,
): Float64Array {
  const out = Float64Array.from(x);
  const half = hd / 2;
  for (let t = 0; t < ntok; t++) {
    for (let h = 0; h < nheads; h++) {
      const base = (t * nheads + h) * hd;
      for (let i = 0; i < half; i++) {
        const c = cos[t * half + i] ?? 0;
        const s = sin[t * half + i] ?? 0;
        const x0 = x[base + i] ?? 0;
        const x1 = x[base + half + i] ?? 0;
        out[base + i] = x0 * c - x1 * s;
        out[base + half + i] = x1 * c + x0 * s;
      }
    }
  }
  return out;
}
