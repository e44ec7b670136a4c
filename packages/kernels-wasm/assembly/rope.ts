// Rotary position embedding in the half-rotation ("NeoX") layout Gemma uses: for i < hd/2 the pair is
// (x[i], x[i + hd/2]), rotated by angle pos·θ^(−2i/hd). cos/sin come precomputed per token (ntok × hd/2) so θ
// may differ per layer (Gemma 3: 10k local, 1M global). Reference: src/reference/ops.ts.

/** Rotates rows [r0, r1) of x (ntok·nheads rows of hd values, token-major) in place. */
export function rope(x: usize, cos: usize, sin: usize, nheads: i32, hd: i32, r0: i32, r1: i32): void {
  const half = hd >> 1;
  for (let r = r0; r < r1; r++) {
    const t = r / nheads;
    const row = x + <usize>r * <usize>hd * 4;
    const c = cos + <usize>t * <usize>half * 4;
    const s = sin + <usize>t * <usize>half * 4;
    let i = 0;
    for (; i + 4 <= half; i += 4) {
      const p = <usize>i * 4;
      const x0 = v128.load(row + p);
      const x1 = v128.load(row + p + <usize>half * 4);
      const vc = v128.load(c + p);
      const vs = v128.load(s + p);
      v128.store(row + p, f32x4.sub(f32x4.mul(x0, vc), f32x4.mul(x1, vs)));
      v128.store(row + p + <usize>half * 4, f32x4.add(f32x4.mul(x1, vc), f32x4.mul(x0, vs)));
    }
    for (; i < half; i++) {
      const p = <usize>i * 4;
      const x0 = load<f32>(row + p);
      const x1 = load<f32>(row + p + <usize>half * 4);
      const vc = load<f32>(c + p);
      const vs = load<f32>(s + p);
      store<f32>(row + p, x0 * vc - x1 * vs);
      store<f32>(row + p + <usize>half * 4, x1 * vc + x0 * vs);
    }
  }
}
