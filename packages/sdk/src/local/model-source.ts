/**
 * The model file of a local client as a `ByteSource`: bytes and Blobs (a `File` from an input) as they are; a URL
 * downloaded once with `download` progress and kept in the Cache API (`gemma-edge-models-v1`), so the next visit reads
 * it from there (`cached`) — as a Blob, which the browser may keep on disk, never as one copy in the JS heap.
 */
import { type ByteSource, blobSource, bytesSource } from "@gemma-edge/gemma";
import type { LocalProgress } from "./messages.js";

export const MODEL_CACHE = "gemma-edge-models-v1";
/** Download progress is reported at most once per this many bytes (and at the end). */
const PROGRESS_STEP = 1 << 20;

/** The model could not be downloaded or read back from the cache. */
export class ModelDownloadError extends Error {
  override readonly name = "ModelDownloadError";
}

export interface ModelSourceOptions {
  cache: boolean;
  onProgress?: (progress: LocalProgress) => void;
  signal?: AbortSignal;
}

export async function modelSource(
  model: string | Blob | ArrayBuffer | Uint8Array,
  options: ModelSourceOptions,
): Promise<ByteSource> {
  if (model instanceof Blob) return blobSource(model);
  if (model instanceof Uint8Array) return bytesSource(model);
  if (model instanceof ArrayBuffer) return bytesSource(new Uint8Array(model));
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(model, base).href;
  const store = options.cache ? await openCache() : undefined;
  const hit = await store?.match(url);
  if (hit) {
    const blob = await hit.blob();
    options.onProgress?.({ status: "cached", bytes: blob.size });
    return blobSource(blob);
  }
  let response: Response;
  try {
    response = await fetch(url, options.signal ? { signal: options.signal } : {});
  } catch (cause) {
    throw new ModelDownloadError(`could not fetch the model at ${url}`, { cause });
  }
  if (!response.ok || !response.body) throw new ModelDownloadError(`GET ${url} answered HTTP ${response.status}`);
  const length = Number(response.headers.get("content-length"));
  const total = Number.isSafeInteger(length) && length > 0 ? length : undefined;
  let loaded = 0;
  let reported = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        if (loaded - reported >= PROGRESS_STEP || loaded === total) {
          reported = loaded;
          options.onProgress?.({ status: "download", loaded, total });
        }
        controller.enqueue(chunk);
      },
      flush() {
        if (reported !== loaded) options.onProgress?.({ status: "download", loaded, total: total ?? loaded });
      },
    }),
  );
  const headers = { "content-type": "application/octet-stream" };
  if (store) {
    await store.put(url, new Response(counted, { headers }));
    const stored = await store.match(url);
    if (!stored) throw new ModelDownloadError(`the model at ${url} was not kept by the Cache API`);
    return blobSource(await stored.blob());
  }
  return blobSource(await new Response(counted, { headers }).blob());
}

async function openCache(): Promise<Cache | undefined> {
  const caches = (globalThis as { caches?: CacheStorage }).caches;
  try {
    return await caches?.open(MODEL_CACHE);
  } catch {
    return undefined; // e.g. an opaque origin: no cache, the model is downloaded every time
  }
}
