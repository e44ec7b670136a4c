/**
 * A forward-only, buffered reader over a `ByteSource` for parsing headers: it reads the source in chunks as the parser
 * needs more, keeps only the unread tail, and checks every length against the bytes the file has left (and against a
 * limit on how far a header may reach) before it reads or allocates.
 */
import { type ByteSource, readRange } from "../byte-source.js";
import { InvalidStringError, LimitExceededError, TruncatedFileError } from "../errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // keep a leading U+FEFF: eight Gemma tokens start with one

export interface CursorOptions {
  /** Bytes read from the source at a time. @default 1 MiB */
  chunkBytes?: number;
  /** How far into the file a header may reach. @default 512 MiB */
  maxHeaderBytes?: number;
}

export class Cursor {
  #buf = new Uint8Array(0);
  #data = new DataView(this.#buf.buffer);
  /** File offset of `#buf[0]`. */
  #bufStart = 0;
  #pos = 0;
  readonly #chunkBytes: number;
  readonly #limit: number;

  constructor(
    readonly source: ByteSource,
    options: CursorOptions = {},
  ) {
    this.#chunkBytes = options.chunkBytes ?? 1 << 20;
    this.#limit = Math.min(source.size, options.maxHeaderBytes ?? 512 << 20);
  }

  /** The file offset of the next byte to read. */
  get position(): number {
    return this.#pos;
  }

  /** Bytes left between the position and where a header may end (the file's end or the header limit). */
  get remaining(): number {
    return this.#limit - this.#pos;
  }

  /** Throws unless `n` more bytes can be read; `what` names the field for the message. */
  check(n: number, what: string): void {
    if (n <= this.remaining) return;
    if (this.#limit < this.source.size) {
      throw new LimitExceededError(
        `${what} at byte ${this.#pos} reaches past the header limit of ${this.#limit} bytes`,
      );
    }
    throw new TruncatedFileError(`${what} at byte ${this.#pos} needs ${n} bytes; the file has ${this.remaining} left`);
  }

  /** Makes `n` bytes from the position available in the buffer; returns their index in it. */
  async #fill(n: number, what: string): Promise<number> {
    this.check(n, what);
    const at = this.#pos - this.#bufStart;
    if (at + n <= this.#buf.length) return at;
    const tail = this.#buf.subarray(at);
    const want = Math.min(Math.max(n - tail.length, this.#chunkBytes), this.#limit - (this.#pos + tail.length));
    const more = await readRange(this.source, this.#pos + tail.length, want, what);
    const next = new Uint8Array(tail.length + more.length);
    next.set(tail);
    next.set(more, tail.length);
    this.#buf = next;
    this.#data = new DataView(next.buffer);
    this.#bufStart = this.#pos;
    return 0;
  }

  /** The next `n` bytes (a view into the buffer, valid until the next read). */
  async bytes(n: number, what: string): Promise<Uint8Array> {
    const at = await this.#fill(n, what);
    this.#pos += n;
    return this.#buf.subarray(at, at + n);
  }

  async #view(n: number, what: string): Promise<DataView> {
    const b = await this.bytes(n, what);
    return new DataView(b.buffer, b.byteOffset, n);
  }

  async u8(what: string): Promise<number> {
    return (await this.#view(1, what)).getUint8(0);
  }
  async u32(what: string): Promise<number> {
    return (await this.#view(4, what)).getUint32(0, true);
  }
  async u64(what: string): Promise<bigint> {
    return (await this.#view(8, what)).getBigUint64(0, true);
  }

  /** A u64 that must be a count or offset JS numbers hold exactly and that is at most `max`. */
  async u64Bounded(what: string, max: number): Promise<number> {
    const v = await this.u64(what);
    if (v > BigInt(max)) throw new LimitExceededError(`${what} is ${v}, more than the file can hold (at most ${max})`);
    return Number(v);
  }

  /** A GGUF string: u64 byte length, then UTF-8 bytes (no terminator). */
  async string(what: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<string> {
    const length = await this.u64Bounded(`length of ${what}`, Math.min(this.remaining - 8, maxBytes));
    const bytes = await this.bytes(length, what);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new InvalidStringError(`${what} at byte ${this.#pos - length} is not valid UTF-8`);
    }
  }

  /**
   * `count` GGUF strings in a row (a string array's items), each at most `maxBytes`; `what(i)` names item i in an
   * error. Items that lie whole in the buffer are parsed from it directly: a promise, a view and a name per item cost a
   * Gemma vocabulary's 256000 strings most of a second. Anything else goes through `string`, with its checks.
   */
  async strings(count: number, maxBytes: number, what: (i: number) => string): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const at = this.#pos - this.#bufStart;
      const length =
        at + 8 <= this.#buf.length ? this.#data.getUint32(at, true) + this.#data.getUint32(at + 4, true) * 2 ** 32 : -1;
      if (length < 0 || length > maxBytes || length > this.remaining - 8 || at + 8 + length > this.#buf.length) {
        out.push(await this.string(what(i), maxBytes));
        continue;
      }
      this.#pos += 8 + length;
      try {
        out.push(utf8.decode(this.#buf.subarray(at + 8, at + 8 + length)));
      } catch {
        throw new InvalidStringError(`${what(i)} at byte ${this.#pos - length} is not valid UTF-8`);
      }
    }
    return out;
  }

  /** Advances to the next multiple of `alignment` (no read). */
  align(alignment: number): void {
    this.#pos = Math.ceil(this.#pos / alignment) * alignment;
  }
}
