import { randomValues } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { SourceError } from "../errors.js";
import { readGgufHeader } from "../gguf/reader.js";
import { streamGgufTensors } from "../gguf/tensors.js";
import { encodeTensor, writeGguf } from "../gguf/writer.js";
import { type DownloadProgress, urlSource } from "./url.js";

const data = encodeTensor("f32", randomValues(300, 5), [300]);
const file = writeGguf({ metadata: {}, tensors: [{ name: "w", dims: [300], format: "f32", data }] });

/** A body served in chunks of 50 bytes, like a network stream. */
function body(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + 50));
      at += 50;
    },
  });
}

/** A fake server: `ranges` honours Range (206), `head` answers HEAD with a length. */
function server(opts: { ranges: boolean; head: boolean; status?: number }) {
  const log: string[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const range = (init?.headers as Record<string, string> | undefined)?.range;
    log.push(`${init?.method ?? "GET"} ${range ?? ""}`.trim());
    if (opts.status) return new Response(null, { status: opts.status });
    if (init?.method === "HEAD")
      return new Response(null, {
        status: opts.head ? 200 : 405,
        headers: opts.head ? { "content-length": String(file.length) } : {},
      });
    const m = /bytes=(\d+)-(\d+)/.exec(range ?? "");
    if (!opts.ranges || !m)
      return new Response(body(file), { status: 200, headers: { "content-length": String(file.length) } });
    const [from, to] = [Number(m[1]), Math.min(Number(m[2]), file.length - 1)];
    return new Response(body(file.slice(from, to + 1)), {
      status: 206,
      headers: { "content-range": `bytes ${from}-${to}/${file.length}` },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, log };
}

describe("urlSource", () => {
  it.each([
    { ranges: true, head: true },
    { ranges: true, head: false },
    { ranges: false, head: false },
  ])("reads and streams a GGUF over HTTP (%o)", async (opts) => {
    const s = server(opts);
    const progress: DownloadProgress[] = [];
    const src = await urlSource("https://models.test/t.gguf", { fetch: s.fetch, onProgress: (p) => progress.push(p) });
    expect(src.size).toBe(file.length);
    expect(await src.read(70, 60)).toEqual(file.subarray(70, 130));
    const header = await readGgufHeader(src);
    const got = new Uint8Array(data.length);
    const before = s.log.length;
    await streamGgufTensors(src, header, (_t, chunk, at) => got.set(chunk, at));
    expect(got).toEqual(data);
    expect(s.log.length - before).toBe(1); // all tensor data in one request
    expect(progress[0]).toEqual({ status: "download", url: "https://models.test/t.gguf", total: 1200 });
    expect(progress.at(-1)).toMatchObject({ status: "done", loaded: 1200, total: 1200 });
  });

  it("gives typed errors for HTTP failures", async () => {
    await expect(
      urlSource("https://models.test/x", { fetch: server({ ranges: true, head: true, status: 404 }).fetch }),
    ).rejects.toThrow(SourceError);
    const noSize = (async () => new Response("abc", { status: 200, headers: {} })) as unknown as typeof fetch;
    await expect(urlSource("https://models.test/x", { fetch: noSize })).rejects.toThrow(/size is unknown/);
  });
});
