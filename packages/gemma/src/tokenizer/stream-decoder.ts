/**
 * Streaming detokenization: token ids in, text deltas out, never a UTF-8 character split across two deltas (a
 * character spread over byte tokens waits until its last byte arrives). Invalid byte sequences become U+FFFD.
 */
import type { PieceTable } from "./pieces.js";

export interface StreamDecoder {
  /** Adds one token; returns the text it completes (possibly empty). */
  push(id: number): string;
  /** Ends the stream: returns what is left (an unfinished character as U+FFFD) and resets the decoder. */
  flush(): string;
}

export function createStreamDecoder(pieces: PieceTable, skipSpecial: boolean): StreamDecoder {
  let decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  return {
    push(id) {
      return decoder.decode(pieces.bytes(id, skipSpecial), { stream: true });
    },
    flush() {
      const rest = decoder.decode();
      decoder = new TextDecoder("utf-8", { ignoreBOM: true });
      return rest;
    },
  };
}
