import { describe, expect, it } from "vitest";
import { readSse } from "./sse.js";

const stream = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  });

async function all(s: ReadableStream<Uint8Array>, max?: number) {
  const out: string[] = [];
  for await (const d of readSse(s, max)) out.push(d);
  return out;
}

describe("readSse", () => {
  it("reassembles events split anywhere, with LF or CRLF, joining multi-line data and skipping comments", async () => {
    const text = 'data: {"a":1}\n\n: keep-alive\n\ndata: {"b":\ndata: 2}\r\n\r\nevent: x\ndata: [DONE]\n\n';
    for (const size of [1, 3, 7, text.length]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
        text.slice(i * size, (i + 1) * size),
      );
      expect(await all(stream(chunks))).toEqual(['{"a":1}', '{"b":\n2}', "[DONE]"]);
    }
  });

  it("splits no UTF-8 character across chunks", async () => {
    const bytes = new TextEncoder().encode('data: "héllo 👋"\n\n');
    const s = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(Uint8Array.of(b));
        c.close();
      },
    });
    expect(await all(s)).toEqual(['"héllo 👋"']);
  });

  it("refuses an event larger than the limit instead of buffering without bound", async () => {
    await expect(all(stream([`data: ${"x".repeat(5000)}`]), 1000)).rejects.toThrow(/exceeds 1000 bytes/);
  });
});
