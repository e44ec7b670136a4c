/**
 * A streamed completion: an AsyncIterable of chunks that can be aborted, read as text only (`textStream`), turned
 * back into a byte stream (`toReadableStream`), and that keeps the policy report of the final chunk (`moderation`,
 * `finishReason`) — a stream stopped by the server's output guard ends with `finish_reason: "content_filter"`.
 */
import type { GemmaEdgeModeration } from "@gemma-edge/protocol";
import { readSse } from "@gemma-edge/protocol/sse";
import { APIError } from "./errors.js";

interface StreamChunk {
  choices: Array<{ finish_reason: string | null; delta?: { content?: string | null | undefined }; text?: string }>;
  gemma_edge?: GemmaEdgeModeration | undefined;
}

export class Stream<T extends StreamChunk> implements AsyncIterable<T> {
  /** The finish reason of the last choice that finished (`stop`, `length`, `content_filter`). */
  finishReason: string | null = null;
  /** The policy report, when the server sent one (on the finishing chunk). */
  moderation: GemmaEdgeModeration | undefined;
  #used = false;

  constructor(
    readonly response: Response,
    readonly controller: AbortController,
  ) {}

  /** Stops reading and cancels the request (the server stops generating). */
  abort(): void {
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#used) throw new Error("a stream can be read once");
    this.#used = true;
    if (!this.response.body) return;
    const signal = this.controller.signal;
    try {
      for await (const data of readSse(this.response.body)) {
        if (data === "[DONE]" || signal.aborted) return;
        const json = JSON.parse(data) as T & { error?: { message?: string } };
        if (json.error)
          throw new APIError(this.response.status, json.error as never, this.response.headers, json.error.message);
        for (const choice of json.choices ?? []) if (choice.finish_reason) this.finishReason = choice.finish_reason;
        if (json.gemma_edge) this.moderation = json.gemma_edge;
        yield json;
      }
    } finally {
      this.controller.abort(); // releases the connection if the caller stopped early
      this.response.body.cancel().catch(() => {});
    }
  }

  /** The generated text, delta by delta. */
  get textStream(): AsyncIterable<string> {
    const chunks = this;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of chunks) {
          const c = chunk.choices[0];
          const text = c?.delta?.content ?? c?.text ?? "";
          if (text !== "") yield text;
        }
      },
    };
  }

  /** The chunks as newline-delimited JSON bytes (to hand to another fetch response or a browser). */
  toReadableStream(): ReadableStream<Uint8Array> {
    const it = this[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    return new ReadableStream({
      async pull(c) {
        const { done, value } = await it.next();
        if (done) c.close();
        else c.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      },
      cancel: () => this.abort(),
    });
  }
}
