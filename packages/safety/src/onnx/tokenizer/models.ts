/**
 * `tokenizer.json` models: a word → token ids. `WordPiece` (BERT, DistilBERT, ELECTRA) and `BPE` (RoBERTa and GPT-2's
 * byte-level BPE, SentencePiece-style BPE with byte fallback such as Gemma's), after the `tokenizers` crate's
 * `models/wordpiece` and `models/bpe`. Every word costs time linear in its length (WordPiece: times the longest
 * vocabulary entry) or n·log n (BPE merges through a heap), so hostile input stays cheap.
 */
import { utf8Encode } from "../../crypto/utf8.js";
import { OnnxConfigError, UnsupportedTokenizerError } from "../errors.js";

export interface TokenizerModel {
  /** Appends the ids of `word` to `out`. */
  tokenize(word: string, out: number[]): void;
  /** The id of a token by its text. */
  tokenId(token: string): number | undefined;
}

interface ModelJson {
  readonly type?: unknown;
  readonly vocab?: unknown;
  readonly [key: string]: unknown;
}

function vocabMap(json: ModelJson): Map<string, number> {
  const vocab = json.vocab;
  if (typeof vocab !== "object" || vocab === null || Array.isArray(vocab)) {
    throw new OnnxConfigError(`tokenizer.json model ${String(json.type)} has no vocab object`);
  }
  const map = new Map<string, number>();
  for (const [token, id] of Object.entries(vocab)) {
    if (typeof id === "number" && Number.isInteger(id) && id >= 0) map.set(token, id);
  }
  return map;
}

/**
 * `WordPiece`: greedy longest-match-first. The first piece is looked up as is, the next ones with the continuing
 * prefix (`##`); a word with no cover, or longer than `max_input_chars_per_word` code points, is one `[UNK]`.
 *
 * @example
 * // vocab: un, ##believ, ##able → "unbelievable" gives [un, ##believ, ##able]
 */
export function wordPiece(json: ModelJson): TokenizerModel {
  const vocab = vocabMap(json);
  const unkToken = typeof json.unk_token === "string" ? json.unk_token : "[UNK]";
  const unk = vocab.get(unkToken);
  if (unk === undefined) throw new OnnxConfigError(`tokenizer.json WordPiece vocab lacks its unk token "${unkToken}"`);
  const prefix = typeof json.continuing_subword_prefix === "string" ? json.continuing_subword_prefix : "##";
  const maxChars = typeof json.max_input_chars_per_word === "number" ? json.max_input_chars_per_word : 100;
  /** The longest entry in code points: no piece can be longer, so a match never looks further. */
  let longest = 1;
  for (const token of vocab.keys()) longest = Math.max(longest, [...token].length);
  return {
    tokenId: (token) => vocab.get(token),
    tokenize(word, out) {
      const chars = Array.from(word);
      if (chars.length > maxChars) {
        out.push(unk);
        return;
      }
      const pieces: number[] = [];
      for (let start = 0; start < chars.length; ) {
        let id: number | undefined;
        let end = Math.min(chars.length, start + longest);
        for (; end > start; end--) {
          const piece = chars.slice(start, end).join("");
          id = vocab.get(start > 0 ? prefix + piece : piece);
          if (id !== undefined) break;
        }
        if (id === undefined) {
          out.push(unk);
          return;
        }
        pieces.push(id);
        start = end;
      }
      for (const id of pieces) out.push(id);
    },
  };
}

/** A min-heap of pending merges, by rank then position (the crate's `BinaryHeap<Merge>` order). */
class MergeQueue {
  private readonly items: { rank: number; pos: number; id: number }[] = [];
  get size(): number {
    return this.items.length;
  }
  private less(a: number, b: number): boolean {
    const x = this.items[a] as { rank: number; pos: number };
    const y = this.items[b] as { rank: number; pos: number };
    return x.rank < y.rank || (x.rank === y.rank && x.pos < y.pos);
  }
  private swap(a: number, b: number): void {
    const items = this.items;
    [items[a], items[b]] = [items[b] as (typeof items)[number], items[a] as (typeof items)[number]];
  }
  push(rank: number, pos: number, id: number): void {
    this.items.push({ rank, pos, id });
    for (let i = this.items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): { rank: number; pos: number; id: number } | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.less(l, m)) m = l;
        if (r < this.items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/** Ids below 2^21 (vocabularies are far smaller), so a pair packs into one exact number key. */
const PAIR = 2 ** 21;
const CACHE_LIMIT = 10_000;

/**
 * `BPE`: each character (with the continuing prefix after the first, the end-of-word suffix on the last) looked up,
 * else its UTF-8 bytes as `<0xNN>` tokens (`byte_fallback`), else `unk_token` (runs fused with `fuse_unk`), else
 * dropped; then the lowest-ranked adjacent pair is merged until none is left. `ignore_merges`: a word that is a
 * vocabulary entry is that entry. Dropout is ignored (inference).
 */
export function bpe(json: ModelJson): TokenizerModel {
  const vocab = vocabMap(json);
  const prefix = typeof json.continuing_subword_prefix === "string" ? json.continuing_subword_prefix : "";
  const suffix = typeof json.end_of_word_suffix === "string" ? json.end_of_word_suffix : "";
  const unk = typeof json.unk_token === "string" ? vocab.get(json.unk_token) : undefined;
  const fuseUnk = json.fuse_unk === true;
  const byteFallback = json.byte_fallback === true;
  const ignoreMerges = json.ignore_merges === true;
  for (const id of vocab.values()) {
    if (id >= PAIR) throw new OnnxConfigError(`tokenizer.json BPE vocab id ${id} is too large`);
  }
  /** (left id, right id) → [rank, merged id]. */
  const merges = new Map<number, [number, number]>();
  const list = Array.isArray(json.merges) ? (json.merges as unknown[]) : [];
  list.forEach((merge, rank) => {
    let pair: [string, string] | undefined;
    if (typeof merge === "string") {
      const space = merge.indexOf(" ", 1);
      if (space > 0) pair = [merge.slice(0, space), merge.slice(space + 1)];
    } else if (Array.isArray(merge) && typeof merge[0] === "string" && typeof merge[1] === "string") {
      pair = [merge[0], merge[1]];
    }
    if (pair === undefined) throw new OnnxConfigError(`tokenizer.json BPE merge ${rank} is malformed`);
    const [a, b] = pair;
    const left = vocab.get(a);
    const right = vocab.get(b);
    const merged = vocab.get(a + (prefix !== "" && b.startsWith(prefix) ? b.slice(prefix.length) : b));
    if (left === undefined || right === undefined || merged === undefined) {
      throw new OnnxConfigError(`tokenizer.json BPE merge ${rank} ("${a}" "${b}") names a token not in the vocab`);
    }
    const key = left * PAIR + right;
    if (!merges.has(key)) merges.set(key, [rank, merged]);
  });
  const byteIds: (number | undefined)[] = [];
  for (let b = 0; b < 256; b++) byteIds.push(vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`));

  /** The ids of each character before merging. */
  const initial = (word: string): number[] => {
    const ids: number[] = [];
    const chars = Array.from(word);
    let pendingUnk = false;
    chars.forEach((ch, i) => {
      let s = i > 0 ? prefix + ch : ch;
      if (i === chars.length - 1) s += suffix;
      const id = vocab.get(s);
      if (id !== undefined) {
        if (pendingUnk && unk !== undefined) ids.push(unk);
        pendingUnk = false;
        ids.push(id);
        return;
      }
      if (byteFallback) {
        const bytes = Array.from(utf8Encode(s), (b) => byteIds[b]);
        if (bytes.every((b) => b !== undefined)) {
          for (const b of bytes) ids.push(b);
          return;
        }
      }
      if (unk === undefined) return;
      if (pendingUnk && !fuseUnk) ids.push(unk);
      pendingUnk = true;
    });
    if (pendingUnk && unk !== undefined) ids.push(unk);
    return ids;
  };

  /** Merges `ids` in place order (a doubly linked list over the array, a heap of candidate pairs). */
  const merge = (ids: number[]): number[] => {
    const n = ids.length;
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    const alive = new Uint8Array(n).fill(1);
    const queue = new MergeQueue();
    const consider = (pos: number) => {
      const right = next[pos] ?? -1;
      if (right < 0) return;
      const m = merges.get((ids[pos] as number) * PAIR + (ids[right] as number));
      if (m !== undefined) queue.push(m[0], pos, m[1]);
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    while (queue.size > 0) {
      const top = queue.pop() as { rank: number; pos: number; id: number };
      const right = next[top.pos] ?? -1;
      if (alive[top.pos] === 0 || right < 0) continue;
      const m = merges.get((ids[top.pos] as number) * PAIR + (ids[right] as number));
      if (m === undefined || m[1] !== top.id) continue;
      ids[top.pos] = top.id;
      alive[right] = 0;
      const after = next[right] ?? -1;
      next[top.pos] = after;
      if (after >= 0) prev[after] = top.pos;
      const before = prev[top.pos] ?? -1;
      if (before >= 0) consider(before);
      consider(top.pos);
    }
    const out: number[] = [];
    for (let i = n > 0 ? 0 : -1; i >= 0; i = next[i] ?? -1) out.push(ids[i] as number);
    return out;
  };

  const cache = new Map<string, number[]>();
  return {
    tokenId: (token) => vocab.get(token),
    tokenize(word, out) {
      if (word === "") return;
      if (ignoreMerges) {
        const id = vocab.get(word);
        if (id !== undefined) {
          out.push(id);
          return;
        }
      }
      let ids = cache.get(word);
      if (ids === undefined) {
        ids = merge(initial(word));
        if (word.length < 256) {
          if (cache.size >= CACHE_LIMIT) cache.clear();
          cache.set(word, ids);
        }
      }
      for (const id of ids) out.push(id);
    },
  };
}

/** The model of a `tokenizer.json` `model` entry. */
export function createModel(json: unknown): TokenizerModel {
  const m = (json ?? {}) as ModelJson;
  switch (m.type) {
    case "WordPiece":
      return wordPiece(m);
    case "BPE":
      return bpe(m);
    default:
      throw new UnsupportedTokenizerError("model", String(m.type));
  }
}
