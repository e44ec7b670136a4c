/**
 * Splits text around special tokens written in it, before SentencePiece sees it — llama.cpp's
 * `tokenizer_st_partition`: control and unknown tokens (`<start_of_turn>`, `<bos>`, `<unk>`) only when special parsing
 * is on, user-defined tokens always. llama.cpp takes the special tokens longest first (by UTF-8 length) and, for each,
 * cuts every leftmost non-overlapping occurrence out of the text not yet cut; this module gives the same result in one
 * scan: it lists every occurrence, then accepts them in that order unless they overlap one already accepted.
 */
import { TokenType } from "./vocab.js";

interface Special {
  readonly id: number;
  readonly text: string;
  /** Position in llama.cpp's order (longest UTF-8 first). */
  readonly rank: number;
  /** Control or unknown: cut out only with special parsing on. */
  readonly onlyWhenParsing: boolean;
}

/** A piece of text for SentencePiece, or a special token's id. */
export type Fragment = string | number;

const encoder = new TextEncoder();

export class SpecialSplitter {
  /** Specials by the UTF-16 code unit they start with. */
  private readonly byFirst = new Map<number, Special[]>();
  private readonly firstUnits = new Uint8Array(65536);

  constructor(tokens: readonly string[], types: Uint8Array) {
    const list: Array<{ id: number; text: string; bytes: number; onlyWhenParsing: boolean }> = [];
    tokens.forEach((text, id) => {
      const type = types[id];
      if (text.length === 0) return;
      if (type === TokenType.control || type === TokenType.unknown || type === TokenType.userDefined) {
        list.push({ id, text, bytes: encoder.encode(text).length, onlyWhenParsing: type !== TokenType.userDefined });
      }
    });
    list.sort((a, b) => b.bytes - a.bytes || a.id - b.id);
    list.forEach((s, rank) => {
      const first = s.text.charCodeAt(0);
      this.firstUnits[first] = 1;
      const bucket = this.byFirst.get(first) ?? [];
      bucket.push({ id: s.id, text: s.text, rank, onlyWhenParsing: s.onlyWhenParsing });
      this.byFirst.set(first, bucket);
    });
  }

  /** The text cut into plain pieces and special token ids, in order. */
  split(text: string, parseSpecial: boolean): Fragment[] {
    const n = text.length;
    // Every occurrence, as rank * (n + 1) + position, so one numeric sort gives llama.cpp's order.
    const found: number[] = [];
    const specials: Special[] = [];
    for (let pos = 0; pos < n; pos++) {
      const c = text.charCodeAt(pos);
      if (this.firstUnits[c] === 0) continue;
      for (const s of this.byFirst.get(c) as Special[]) {
        if (s.onlyWhenParsing && !parseSpecial) continue;
        if (text.startsWith(s.text, pos)) {
          specials[s.rank] = s;
          found.push(s.rank * (n + 1) + pos);
        }
      }
    }
    if (found.length === 0) return n === 0 ? [] : [text];
    const keys = Float64Array.from(found).sort();
    const covered = new Uint8Array(n);
    const idAt = new Int32Array(n).fill(-1);
    const lengthAt = new Int32Array(n);
    for (const key of keys) {
      const rank = Math.floor(key / (n + 1));
      const pos = key - rank * (n + 1);
      const s = specials[rank] as Special;
      const end = pos + s.text.length;
      if (covered.subarray(pos, end).includes(1)) continue;
      covered.fill(1, pos, end);
      idAt[pos] = s.id;
      lengthAt[pos] = s.text.length;
    }
    const out: Fragment[] = [];
    let textStart = 0;
    for (let pos = 0; pos < n; ) {
      const id = idAt[pos] as number;
      if (id < 0) {
        pos++;
        continue;
      }
      if (pos > textStart) out.push(text.slice(textStart, pos));
      out.push(id);
      pos += lengthAt[pos] as number;
      textStart = pos;
    }
    if (textStart < n) out.push(text.slice(textStart));
    return out;
  }
}
