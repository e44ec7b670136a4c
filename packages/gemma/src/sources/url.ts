/**
 * A `ByteSource` over a URL, with `fetch` only (browsers, workers, Node): the size from a HEAD request (or the total of
 * a one-byte range), reads as HTTP range requests, and `stream` as one request whose body is read chunk by chunk with
 * progress — so a loader downloads the tensor data once, in order, without buffering the file. A server that ignores
 * `Range` (answers 200) still works: the leading bytes are skipped as they stream.
 */
import type { ByteSource } from "../byte-source.js";
import { SourceError } from "../errors.js";

/** Download progress, tagged by `status`. */
export type DownloadProgress =
  | { readonly status: "download"; readonly url: string; readonly total: number }
  | { readonly status: "progress"; readonly url: string; readonly loaded: number; readonly total: number }
  | { readonly status: "done"; readonly url: string; readonly loaded: number; readonly total: number };

export interface UrlSourceOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Extra request headers (auth). */
  headers?: Record<string, string>;
  /** Progress of `stream` transfers (tensor data). */
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Opens a URL as a byte source (one request to learn its size).
 * @example
 * const src = await urlSource("https://example.com/gemma-2b-q4_0.gguf", { onProgress: console.log });
 * const header = await readGgufHeader(src);
 */
export async function urlSource(url: string, options: UrlSourceOptions = {}): Promise<ByteSource> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const request = async (range: string | undefined, method = "GET", signal = options.signal) => {
    const headers: Record<string, string> = { ...options.headers };
    if (range !== undefined) headers.range = range;
    const response = await doFetch(url, { method, headers, ...(signal === undefined ? {} : { signal }) });
    if (!response.ok) throw new SourceError(`${method} ${url}${range ? ` (${range})` : ""}: HTTP ${response.status}`);
    return response;
  };
  const size = await sizeOf(url, request);

  /** The body of a request for `[offset, offset + length)`, as chunks covering that range only. */
  async function* ranged(offset: number, length: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const response = await request(`bytes=${offset}-${offset + length - 1}`, "GET", signal ?? options.signal);
    let skip = response.status === 206 ? 0 : offset;
    let left = length;
    const body = response.body;
    if (body === null) throw new SourceError(`GET ${url}: no body`);
    const reader = body.getReader();
    try {
      while (left > 0) {
        const { done, value } = await reader.read();
        if (done) throw new SourceError(`GET ${url}: body ended ${left} bytes early`);
        let chunk = value;
        if (skip > 0) {
          const n = Math.min(skip, chunk.length);
          skip -= n;
          chunk = chunk.subarray(n);
        }
        if (chunk.length > left) chunk = chunk.subarray(0, left);
        left -= chunk.length;
        if (chunk.length > 0) yield chunk;
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  }

  return {
    size,
    async read(offset, length) {
      const out = new Uint8Array(length);
      let at = 0;
      for await (const chunk of ranged(offset, length)) {
        out.set(chunk, at);
        at += chunk.length;
      }
      return out;
    },
    async *stream(offset, length, signal) {
      options.onProgress?.({ status: "download", url, total: length });
      let loaded = 0;
      for await (const chunk of ranged(offset, length, signal)) {
        loaded += chunk.length;
        options.onProgress?.({ status: "progress", url, loaded, total: length });
        yield chunk;
      }
      options.onProgress?.({ status: "done", url, loaded, total: length });
    },
  };
}

async function sizeOf(url: string, request: (range: string | undefined, method?: string) => Promise<Response>) {
  const head = await request(undefined, "HEAD").catch(() => undefined);
  const length = Number(head?.headers.get("content-length") ?? Number.NaN);
  if (Number.isSafeInteger(length) && length >= 0) return length;
  const probe = await request("bytes=0-0");
  await probe.body?.cancel();
  const total = Number(/\/(\d+)$/.exec(probe.headers.get("content-range") ?? "")?.[1] ?? Number.NaN);
  if (Number.isSafeInteger(total)) return total;
  const whole = Number(probe.status === 200 ? (probe.headers.get("content-length") ?? Number.NaN) : Number.NaN);
  if (Number.isSafeInteger(whole) && whole >= 0) return whole;
  throw new SourceError(`${url}: the server sends neither Content-Length nor Content-Range, so its size is unknown`);
}
