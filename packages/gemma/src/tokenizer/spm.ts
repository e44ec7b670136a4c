/**
 * SentencePiece BPE merging with byte fallback, as llama.cpp's `llm_tokenizer_spm_session` does it: the text (spaces
 * already written `▁`) starts as one symbol per code point; every adjacent pair whose concatenation is a token is a
 * candidate, and the candidate whose token has the highest score merges first (ties: leftmost). Symbols live in a
 * doubly linked list and candidates in a heap, so a text of n code points costs O(n log n) — no quadratic rescans.
 * A symbol left that is not a token (a character outside the vocabulary) becomes its UTF-8 bytes' `<0xXX>` tokens.
 */
import { BigramHeap } from "./bigram-heap.js";
import { TokenizerError } from "./errors.js";

export interface SpmTables {
  /** Token id of each token text. */
  readonly ids: ReadonlyMap<string, number>;
  readonly scores: Float32Array;
  /** Longest token text, in UTF-16 code units: longer pairs are never looked up. */
  readonly maxTokenLength: number;
  /** The token of each byte value for the fallback, or -1. */
  readonly byteIds: Int32Array;
  /** Used for a byte that has no token, if the vocabulary has one. */
  readonly unk: number | undefined;
}

export class SpmMerger {
  private start = new Int32Array(0);
  private len = new Int32Array(0);
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  private readonly heap = new BigramHeap();
  private readonly top = new Int32Array(3);
  private readonly utf8 = new Uint8Array(4);

  constructor(private readonly t: SpmTables) {}

  /** Appends the tokens of `text` (well-formed UTF-16, spaces as `▁`) to `out`. */
  encode(text: string, out: number[]): void {
    const count = this.split(text);
    if (count === 0) return;
    const { len, prev, next, heap, top } = this;
    heap.clear();
    for (let i = 1; i < count; i++) this.tryAdd(text, i - 1, i);
    while (!heap.isEmpty) {
      heap.pop(top);
      const l = top[0] as number;
      const r = top[1] as number;
      const ll = len[l] as number;
      const rl = len[r] as number;
      // A candidate whose symbols have changed since it was queued is stale.
      if (ll === 0 || rl === 0 || ll + rl !== top[2]) continue;
      len[l] = ll + rl;
      len[r] = 0;
      const after = next[r] as number;
      next[l] = after;
      if (after >= 0) prev[after] = l;
      this.tryAdd(text, prev[l] as number, l);
      this.tryAdd(text, l, after);
    }
    for (let i = 0; i !== -1; i = next[i] as number) {
      const s = this.start[i] as number;
      const piece = text.slice(s, s + (len[i] as number));
      const id = this.t.ids.get(piece);
      if (id !== undefined) out.push(id);
      else this.fallback(piece.codePointAt(0) as number, out);
    }
  }

  /** One symbol per code point; returns the count. */
  private split(text: string): number {
    const n = text.length;
    if (this.start.length < n) {
      const cap = Math.max(n, this.start.length * 2);
      this.start = new Int32Array(cap);
      this.len = new Int32Array(cap);
      this.prev = new Int32Array(cap);
      this.next = new Int32Array(cap);
    }
    const { start, len, prev, next } = this;
    let count = 0;
    for (let i = 0; i < n; count++) {
      const c = text.charCodeAt(i);
      const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      start[count] = i;
      len[count] = w;
      prev[count] = count - 1;
      next[count] = count + 1;
      i += w;
    }
    if (count > 0) next[count - 1] = -1;
    return count;
  }

  private tryAdd(text: string, l: number, r: number): void {
    if (l < 0 || r < 0) return;
    const size = (this.len[l] as number) + (this.len[r] as number);
    if (size > this.t.maxTokenLength) return;
    const s = this.start[l] as number;
    const id = this.t.ids.get(text.slice(s, s + size));
    if (id === undefined) return;
    this.heap.push(this.t.scores[id] as number, l, r, size);
  }

  /** The `<0xXX>` tokens of one code point's UTF-8 bytes. */
  private fallback(cp: number, out: number[]): void {
    const b = this.utf8;
    let n: number;
    if (cp < 0x80) {
      b[0] = cp;
      n = 1;
    } else if (cp < 0x800) {
      b[0] = 0xc0 | (cp >> 6);
      b[1] = 0x80 | (cp & 63);
      n = 2;
    } else if (cp < 0x10000) {
      b[0] = 0xe0 | (cp >> 12);
      b[1] = 0x80 | ((cp >> 6) & 63);
      b[2] = 0x80 | (cp & 63);
      n = 3;
    } else {
      b[0] = 0xf0 | (cp >> 18);
      b[1] = 0x80 | ((cp >> 12) & 63);
      b[2] = 0x80 | ((cp >> 6) & 63);
      b[3] = 0x80 | (cp & 63);
      n = 4;
    }
    for (let i = 0; i < n; i++) {
      const id = this.t.byteIds[b[i] as number] as number;
      if (id >= 0) out.push(id);
      else if (this.t.unk !== undefined) out.push(this.t.unk);
      else throw new TokenizerError(`byte 0x${(b[i] as number).toString(16)} has no token and there is no <unk>`);
    }
  }
}
