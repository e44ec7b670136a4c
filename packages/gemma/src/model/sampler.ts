/**
 * Picks the next token from logits: logit bias ▸ repetition / presence / frequency penalties ▸ greedy when
 * temperature is 0 ▸ temperature ▸ top-k ▸ softmax ▸ top-p ▸ min-p ▸ a draw from a seeded PRNG (same seed, same
 * output). Works on a copy; the logits buffer is not changed.
 */
import { prng } from "@gemma-edge/kernels-wasm";

export interface SamplingOptions {
  /** 0 = greedy. @default 1 */
  temperature?: number;
  /** Keep the k most likely tokens (0 = off). @default 0 */
  topK?: number;
  /** Keep the smallest set whose probability reaches p (1 = off). @default 1 */
  topP?: number;
  /** Drop tokens below minP × the top probability (0 = off). @default 0 */
  minP?: number;
  /** Divide positive (multiply negative) logits of tokens already seen (1 = off). @default 1 */
  repetitionPenalty?: number;
  /** Subtract once from every token already seen. @default 0 */
  presencePenalty?: number;
  /** Subtract per occurrence of a token already seen. @default 0 */
  frequencyPenalty?: number;
  /** Token id → added to its logit (−100 bans, +100 forces in practice). */
  logitBias?: Readonly<Record<number, number>>;
  /** Seed of the draw. @default a random seed */
  seed?: number;
}

export class Sampler {
  readonly #rand: () => number;
  #x = new Float64Array(0);

  constructor(readonly options: SamplingOptions = {}) {
    this.#rand = prng(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  /** The next token id after `history` (prompt and generated tokens, for the penalties). */
  sample(logits: Float32Array, history: readonly number[]): number {
    const o = this.options;
    if (this.#x.length !== logits.length) this.#x = new Float64Array(logits.length);
    const x = this.#x;
    x.set(logits);
    for (const [id, bias] of Object.entries(o.logitBias ?? {})) {
      const i = Number(id);
      if (i >= 0 && i < x.length) x[i] = (x[i] ?? 0) + bias;
    }
    const rp = o.repetitionPenalty ?? 1;
    const pp = o.presencePenalty ?? 0;
    const fp = o.frequencyPenalty ?? 0;
    if (rp !== 1 || pp !== 0 || fp !== 0) {
      const counts = new Map<number, number>();
      for (const t of history) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, n] of counts) {
        if (t < 0 || t >= x.length) continue;
        let v = x[t] ?? 0;
        if (rp !== 1) v = v > 0 ? v / rp : v * rp;
        x[t] = v - pp - fp * n;
      }
    }
    const temperature = o.temperature ?? 1;
    if (temperature <= 0) return argmax(x);

    // candidates: the top-k (a bounded heap, O(V log k)); without top-k, only the tokens that can matter for top-p /
    // min-p, found without sorting the whole vocabulary (a full sort of 256000 logits cost ~150 ms per token)
    const top = x[argmax(x)] ?? 0;
    const topK = o.topK && o.topK > 0 ? Math.min(o.topK, x.length) : 0;
    if (topK === 0 && (o.topP ?? 1) >= 1 && (o.minP ?? 0) <= 0) return this.#draw(x, top, temperature);
    const { ids, total: vocabMass } =
      topK > 0
        ? { ids: topIndices(x, topK), total: undefined }
        : candidates(x, top, temperature, o.topP ?? 1, o.minP ?? 0);
    const probs = ids.map((i) => Math.exp(((x[i] ?? 0) - top) / temperature));
    // top-k renormalizes over its k tokens; top-p / min-p keep probabilities over the whole vocabulary
    const total = vocabMass ?? probs.reduce((a, b) => a + b, 0);
    for (let i = 0; i < probs.length; i++) probs[i] = (probs[i] ?? 0) / total;
    let keep = probs.length;
    const topP = o.topP ?? 1;
    if (topP < 1) {
      let mass = 0;
      for (let i = 0; i < probs.length; i++) {
        mass += probs[i] ?? 0;
        if (mass >= topP) {
          keep = i + 1;
          break;
        }
      }
    }
    const minP = o.minP ?? 0;
    if (minP > 0) {
      const floor = minP * (probs[0] ?? 0);
      while (keep > 1 && (probs[keep - 1] ?? 0) < floor) keep--;
    }
    let mass = 0;
    for (let i = 0; i < keep; i++) mass += probs[i] ?? 0;
    let r = this.#rand() * mass;
    for (let i = 0; i < keep; i++) {
      r -= probs[i] ?? 0;
      if (r <= 0) return ids[i] ?? 0;
    }
    return ids[keep - 1] ?? 0;
  }

  /** A draw from softmax(x / T) over the whole vocabulary, in place (x is scratch). */
  #draw(x: Float64Array, top: number, temperature: number): number {
    let total = 0;
    for (let i = 0; i < x.length; i++) {
      const e = Math.exp(((x[i] ?? 0) - top) / temperature);
      x[i] = e;
      total += e;
    }
    let r = this.#rand() * total;
    for (let i = 0; i < x.length; i++) {
      r -= x[i] ?? 0;
      if (r <= 0) return i;
    }
    return argmax(x);
  }
}

/**
 * The tokens top-p and min-p can keep, most likely first: those above a probability cut found with a 64-bin
 * histogram of ln p (one pass, which also gives the vocabulary's total mass), sorted.
 */
function candidates(
  x: Float64Array,
  top: number,
  temperature: number,
  topP: number,
  minP: number,
): { ids: number[]; total: number } {
  const BINS = 64;
  const SPAN = 40; // ln p below top − 40 is < 4e-18 of the top token: never kept
  const mass = new Float64Array(BINS);
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const z = ((x[i] ?? 0) - top) / temperature;
    const e = Math.exp(z);
    total += e;
    const bin = Math.min(BINS - 1, Math.floor((-z / SPAN) * BINS));
    mass[bin] = (mass[bin] ?? 0) + e;
  }
  let cut = BINS - 1;
  let acc = 0;
  for (let b = 0; b < BINS; b++) {
    acc += mass[b] ?? 0;
    if (acc / total >= topP) {
      cut = b;
      break;
    }
  }
  if (minP > 0) cut = Math.min(cut, Math.floor((-Math.log(minP) / SPAN) * BINS));
  const zMin = -((cut + 1) * SPAN) / BINS;
  const ids: number[] = [];
  for (let i = 0; i < x.length; i++) if (((x[i] ?? 0) - top) / temperature >= zMin) ids.push(i);
  return { ids: ids.sort((a, b) => (x[b] ?? 0) - (x[a] ?? 0) || a - b), total };
}

export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if ((x[i] ?? 0) > (x[best] ?? 0)) best = i;
  return best;
}

/** Indices of the k largest values, largest first (ties: lower index first). */
function topIndices(x: Float64Array, k: number): number[] {
  if (k >= x.length) return Array.from(x.keys()).sort((a, b) => (x[b] ?? 0) - (x[a] ?? 0) || a - b);
  // a bounded min-heap keeps the k largest in O(n log k)
  const heap: number[] = [];
  const less = (a: number, b: number) => (x[a] ?? 0) < (x[b] ?? 0) || ((x[a] ?? 0) === (x[b] ?? 0) && a > b);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && less(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (let i = 0; i < x.length; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0; ) {
        const p = (j - 1) >> 1;
        if (!less(heap[j] as number, heap[p] as number)) break;
        [heap[j], heap[p]] = [heap[p] as number, heap[j] as number];
        j = p;
      }
    } else if (less(heap[0] as number, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (x[b] ?? 0) - (x[a] ?? 0) || a - b);
}
