/**
 * `createClient` — the typed client for apps in browsers, Node and workers: OpenAI-shaped resources
 * (`chat.completions`, `completions`, `moderations`, `models`, `policies`), typed errors, retries with backoff, and
 * streams. Web APIs only (fetch, AbortController, ReadableStream, TextDecoder); imports no schemas, so it stays small.
 *
 * @example
 * const client = createClient({ baseURL: "http://127.0.0.1:8787/v1", apiKey: "sk-…" });
 * const stream = await client.chat.completions.create({ model: "gemma-edge-demo", messages, stream: true });
 * for await (const text of stream.textStream) process.stdout.write(text);
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  Completion,
  CompletionChunk,
  CompletionRequest,
  ErrorBody,
  Model,
  ModelList,
  ModerationRequest,
  ModerationResponse,
} from "@gemma-edge/protocol";
import { APIConnectionError, APIConnectionTimeoutError, type APIError, errorFor, GemmaEdgeError } from "./errors.js";
import { retryDelay, shouldRetry, sleep } from "./retry.js";
import { Stream } from "./stream.js";

export interface ClientOptions {
  /** The API root including `/v1`, e.g. `https://edge.example.com/v1`. */
  baseURL: string;
  apiKey?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Retries of a failed request (connection errors, 408, 409, 429, ≥ 500). @default 2 */
  maxRetries?: number;
  /** Milliseconds before a request (until its first byte, for streams) times out. @default 600_000 */
  timeout?: number;
  defaultHeaders?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this request. */
  timeout?: number;
  headers?: Record<string, string>;
  maxRetries?: number;
}

type Streaming<P> = P & { stream: true };
type NonStreaming<P> = P & { stream?: false | null };
export type ChatParams = ChatCompletionRequest;
export type CompletionParams = CompletionRequest;

export interface Client {
  chat: {
    completions: {
      create(params: Streaming<ChatParams>, options?: RequestOptions): Promise<Stream<ChatCompletionChunk>>;
      create(params: NonStreaming<ChatParams>, options?: RequestOptions): Promise<ChatCompletion>;
    };
  };
  completions: {
    create(params: Streaming<CompletionParams>, options?: RequestOptions): Promise<Stream<CompletionChunk>>;
    create(params: NonStreaming<CompletionParams>, options?: RequestOptions): Promise<Completion>;
  };
  moderations: { create(params: ModerationRequest, options?: RequestOptions): Promise<ModerationResponse> };
  models: { list(options?: RequestOptions): Promise<Model[]> };
  /** Admin routes: need the admin key as `apiKey`. */
  policies: {
    get(id: string, options?: RequestOptions): Promise<Record<string, unknown>>;
    put(id: string, policy: Record<string, unknown>, options?: RequestOptions): Promise<Record<string, unknown>>;
    delete(id: string, options?: RequestOptions): Promise<{ id: string; deleted: boolean }>;
  };
}

export function createClient(options: ClientOptions): Client {
  const base = options.baseURL.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  /** Sends a request with retries; resolves once the response is OK (a stream's body is not read here). */
  async function send(method: string, path: string, body: unknown, o: RequestOptions = {}): Promise<Response> {
    const retries = o.maxRetries ?? options.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const controller = new AbortController();
      const timeoutMs = o.timeout ?? options.timeout ?? 600_000;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const onAbort = () => controller.abort(o.signal?.reason);
      if (o.signal?.aborted) onAbort();
      o.signal?.addEventListener("abort", onAbort, { once: true });
      let response: Response;
      try {
        response = await doFetch(`${base}${path}`, {
          method,
          signal: controller.signal,
          headers: {
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
            ...options.defaultHeaders,
            ...o.headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (cause) {
        clearTimeout(timer);
        o.signal?.removeEventListener("abort", onAbort);
        if (o.signal?.aborted) throw o.signal.reason ?? cause;
        if (GemmaEdgeError.isInstance(cause)) throw cause; // a typed failure of a custom fetch (the local engine's)
        const error = timedOut
          ? new APIConnectionTimeoutError(`the request timed out after ${timeoutMs} ms`, { cause })
          : new APIConnectionError(`cannot reach ${base}: ${(cause as Error)?.message ?? cause}`, { cause });
        if (attempt >= retries) throw error;
        await sleep(retryDelay(attempt, null), o.signal);
        continue;
      }
      clearTimeout(timer); // the timeout covers the wait for the response head; streams are aborted by the caller
      o.signal?.removeEventListener("abort", onAbort);
      if (o.signal) o.signal.addEventListener("abort", () => controller.abort(o.signal?.reason), { once: true });
      if (response.ok) {
        (response as Response & { controller?: AbortController }).controller = controller;
        return response;
      }
      const error = await toError(response);
      if (attempt >= retries || !shouldRetry(response.status)) throw error;
      await sleep(retryDelay(attempt, response.headers.get("retry-after")), o.signal);
    }
  }

  async function json<T>(method: string, path: string, body?: unknown, o?: RequestOptions): Promise<T> {
    return (await (await send(method, path, body, o)).json()) as T;
  }

  async function create(path: string, params: { stream?: boolean | null | undefined }, o?: RequestOptions) {
    const response = await send("POST", path, params, o);
    if (!params.stream) return response.json();
    // a streamed request is never retried after its first byte: the stream is handed over as it is
    const controller = (response as Response & { controller?: AbortController }).controller ?? new AbortController();
    return new Stream(response, controller);
  }

  const id = (s: string) => encodeURIComponent(s);
  return {
    chat: { completions: { create: (p: ChatParams, o?: RequestOptions) => create("/chat/completions", p, o) } },
    completions: { create: (p: CompletionParams, o?: RequestOptions) => create("/completions", p, o) },
    moderations: { create: (p, o) => json("POST", "/moderations", p, o) },
    models: { list: async (o) => (await json<ModelList>("GET", "/models", undefined, o)).data },
    policies: {
      get: (p, o) => json("GET", `/policies/${id(p)}`, undefined, o),
      put: (p, policy, o) => json("PUT", `/policies/${id(p)}`, policy, o),
      delete: (p, o) => json("DELETE", `/policies/${id(p)}`, undefined, o),
    },
  } as Client;
}

async function toError(response: Response): Promise<APIError> {
  let body: ErrorBody["error"] | undefined;
  try {
    body = ((await response.json()) as Partial<ErrorBody>).error;
  } catch {
    body = undefined;
  }
  return errorFor(response.status, body, response.headers);
}
