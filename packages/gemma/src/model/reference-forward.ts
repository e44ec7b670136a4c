/**
 * An independent scalar forward pass (f64, no kernels, no KV cache: every position recomputed), straight from the
 * dequantized weights: the oracle the kernel forward is tested against on tiny models. Slow by design.
 */
import { reference } from "@gemma-edge/kernels-wasm";
import type { ByteSource } from "../byte-source.js";
import type { GemmaConfig } from "../config/gemma-config.js";
import type { GgufTensorInfo } from "../gguf/types.js";

type Vec = Float64Array;

/** Reads every tensor as f64 values (row-major, rows × cols). */
export async function dequantizeAll(source: ByteSource, tensors: readonly GgufTensorInfo[]): Promise<Map<string, Vec>> {
  const out = new Map<string, Vec>();
  for (const t of tensors) {
    const bytes = await source.read(t.fileOffset, t.byteLength);
    const n = t.dims.reduce((a, b) => a * b, 1);
    out.set(t.name, reference.dequantize(t.format, bytes, 0, n));
  }
  return out;
}

function rmsnorm(x: Vec, w: Vec, eps: number, plusOne: boolean): Vec {
  let ss = 0;
  for (const v of x) ss += v * v;
  const s = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * s * ((w[i] ?? 0) + (plusOne ? 1 : 0)));
}

function matvec(w: Vec, x: Vec, rows: number): Vec {
  const cols = x.length;
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < cols; i++) s += (w[r * cols + i] ?? 0) * (x[i] ?? 0);
    y[r] = s;
  }
  return y;
}

function rope(x: Vec, heads: number, hd: number, pos: number, theta: number): void {
  const half = hd / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      const angle = pos * theta ** ((-2 * i) / hd);
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      const a = x[h * hd + i] ?? 0;
      const b = x[h * hd + half + i] ?? 0;
      x[h * hd + i] = a * c - b * s;
      x[h * hd + half + i] = b * c + a * s;
    }
  }
}

const gelu = (g: number) => 0.5 * g * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (g + 0.044715 * g ** 3)));

/** Logits after the last of `tokens` (positions 0…n−1). */
export function referenceLogits(c: GemmaConfig, w: Map<string, Vec>, tokens: readonly number[]): Float64Array {
  const get = (name: string) => {
    const t = w.get(name);
    if (!t) throw new Error(`missing ${name}`);
    return t;
  };
  const H = c.hiddenSize;
  const hd = c.headDim;
  const plus = c.normPlusOne;
  const embed = get("token_embd.weight");
  let xs: Vec[] = tokens.map((t) => embed.slice(t * H, (t + 1) * H).map((v) => v * Math.sqrt(H)));
  for (let l = 0; l < c.numLayers; l++) {
    const p = `blk.${l}.`;
    const lc = c.layers[l] as GemmaConfig["layers"][number];
    const qs: Vec[] = [];
    const ks: Vec[] = [];
    const vs: Vec[] = [];
    xs.forEach((x, pos) => {
      const xn = rmsnorm(x, get(`${p}attn_norm.weight`), c.rmsNormEps, plus);
      const q = matvec(get(`${p}attn_q.weight`), xn, c.numHeads * hd);
      const k = matvec(get(`${p}attn_k.weight`), xn, c.numKvHeads * hd);
      if (c.qkNorm) {
        for (let h = 0; h < c.numHeads; h++)
          q.set(rmsnorm(q.slice(h * hd, (h + 1) * hd), get(`${p}attn_q_norm.weight`), c.rmsNormEps, plus), h * hd);
        for (let h = 0; h < c.numKvHeads; h++)
          k.set(rmsnorm(k.slice(h * hd, (h + 1) * hd), get(`${p}attn_k_norm.weight`), c.rmsNormEps, plus), h * hd);
      }
      rope(q, c.numHeads, hd, pos / lc.ropeScale, lc.ropeTheta);
      rope(k, c.numKvHeads, hd, pos / lc.ropeScale, lc.ropeTheta);
      qs.push(q);
      ks.push(k);
      vs.push(matvec(get(`${p}attn_v.weight`), xn, c.numKvHeads * hd));
    });
    xs = xs.map((x, pos) => {
      const att = new Float64Array(c.numHeads * hd);
      for (let h = 0; h < c.numHeads; h++) {
        const kvh = Math.floor(h / (c.numHeads / c.numKvHeads));
        const first = lc.sliding && c.slidingWindow !== null ? Math.max(0, pos - c.slidingWindow + 1) : 0;
        const scores: number[] = [];
        for (let j = first; j <= pos; j++) {
          let s = 0;
          for (let i = 0; i < hd; i++) s += (qs[pos]?.[h * hd + i] ?? 0) * (ks[j]?.[kvh * hd + i] ?? 0);
          s *= c.queryScale;
          if (c.attnLogitSoftcap !== null) s = c.attnLogitSoftcap * Math.tanh(s / c.attnLogitSoftcap);
          scores.push(s);
        }
        const m = scores.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
        const e = scores.map((s) => Math.exp(s - m));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let j = first; j <= pos; j++) {
          for (let i = 0; i < hd; i++)
            att[h * hd + i] = (att[h * hd + i] ?? 0) + ((e[j - first] ?? 0) / sum) * (vs[j]?.[kvh * hd + i] ?? 0);
        }
      }
      let o = matvec(get(`${p}attn_output.weight`), att, H);
      if (c.postNorms) o = rmsnorm(o, get(`${p}post_attention_norm.weight`), c.rmsNormEps, plus);
      const h1 = x.map((v, i) => v + (o[i] ?? 0));
      const xn = rmsnorm(h1, get(`${p}ffn_norm.weight`), c.rmsNormEps, plus);
      const g = matvec(get(`${p}ffn_gate.weight`), xn, c.intermediateSize);
      const u = matvec(get(`${p}ffn_up.weight`), xn, c.intermediateSize);
      let d = matvec(
        get(`${p}ffn_down.weight`),
        g.map((v, i) => gelu(v) * (u[i] ?? 0)),
        H,
      );
      if (c.postNorms) d = rmsnorm(d, get(`${p}post_ffw_norm.weight`), c.rmsNormEps, plus);
      return h1.map((v, i) => v + (d[i] ?? 0));
    });
  }
  const last = rmsnorm(xs[xs.length - 1] as Vec, get("output_norm.weight"), c.rmsNormEps, plus);
  const out = w.get("output.weight") ?? embed;
  const logits = matvec(out, last, c.vocabSize);
  const cap = c.finalLogitSoftcap;
  return cap === null ? logits : logits.map((v) => cap * Math.tanh(v / cap));
}
