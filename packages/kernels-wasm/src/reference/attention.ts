/**
 * Reference attention (f64, explicit scores and softmax): the oracle for assembly/attention.ts.
 * q/out: [nq][nheads][hd]; k/v: [pos][nkv][hd] as numbers (an f16 cache is compared after decoding).
 */
export interface AttentionShape {
  nq: number;
  nheads: number;
  nkv: number;
  hd: number;
  /** Position of the first query; query t sits at pos0 + t and sees keys 0..pos0 + t. */
  pos0: number;
  /** Sliding window (0 = none): keys with p − j < window. */
  window: number;
  scale: number;
  /** tanh soft-cap on scores (0 = none). */
  softcap: number;
}

export function attention(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  s: AttentionShape,
): Float64Array {
  const out = new Float64Array(s.nq * s.nheads * s.hd);
  const group = s.nheads / s.nkv;
  for (let t = 0; t < s.nq; t++) {
    const p = s.pos0 + t;
    const first = s.window > 0 ? Math.max(0, p - s.window + 1) : 0;
    for (let h = 0; h < s.nheads; h++) {
      const kvh = Math.floor(h / group);
      const qo = (t * s.nheads + h) * s.hd;
      const scores: number[] = [];
      for (let j = first; j <= p; j++) {
        let dot = 0;
        for (let i = 0; i < s.hd; i++) dot += (q[qo + i] ?? 0) * (k[(j * s.nkv + kvh) * s.hd + i] ?? 0);
        let score = dot * s.scale;
        if (s.softcap > 0) score = s.softcap * Math.tanh(score / s.softcap);
        scores.push(score);
      }
      const m = Math.max(...scores);
      const e = scores.map((x) => Math.exp(x - m));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let j = first; j <= p; j++) {
        const w = (e[j - first] ?? 0) / sum;
        for (let i = 0; i < s.hd; i++) out[qo + i] = (out[qo + i] ?? 0) + w * (v[(j * s.nkv + kvh) * s.hd + i] ?? 0);
      }
    }
  }
  return out;
}
