/**
 * HTTP over a message endpoint. The page side is a `fetch` whose requests go to the engine as messages and whose
 * responses come back as a head and a body stream (abort and body cancel tell the engine to stop); the engine side
 * answers each request with a handler — the edge app's `fetch`.
 */
import type { Endpoint, FromEngine, SerializedError, ToEngine } from "./messages.js";

interface Pending {
  resolve(response: Response): void;
  reject(error: unknown): void;
  body?: ReadableStreamDefaultController<Uint8Array>;
}

export function serializeError(error: unknown): SerializedError {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}

/** A fetch over `endpoint`; `ready` resolves before the first request is sent (and its rejection fails requests). */
export function fetchOverEndpoint(endpoint: Endpoint, ready: Promise<unknown>): typeof fetch {
  const pending = new Map<number, Pending>();
  let next = 1;
  endpoint.addEventListener("message", (event) => {
    const m = event.data as FromEngine;
    if (!("id" in m)) return;
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === "head") {
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => {
          p.body = controller;
        },
        cancel: () => {
          pending.delete(m.id);
          endpoint.postMessage({ type: "abort", id: m.id } satisfies ToEngine);
        },
      });
      const nullBody = m.status === 204 || m.status === 304;
      p.resolve(new Response(nullBody ? null : body, { status: m.status, headers: m.headers }));
    } else if (m.type === "chunk") p.body?.enqueue(m.bytes);
    else if (m.type === "end") {
      pending.delete(m.id);
      p.body?.close();
    } else if (m.type === "error") {
      pending.delete(m.id);
      const error = new TypeError(`the local engine failed: ${m.error.message}`);
      if (p.body) p.body.error(error);
      else p.reject(error);
    }
  });
  endpoint.start?.();

  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = request.body ? await request.text() : null;
    const signal = init?.signal ?? undefined;
    await ready;
    signal?.throwIfAborted();
    const id = next++;
    return new Promise<Response>((resolve, reject) => {
      const entry: Pending = { resolve, reject };
      pending.set(id, entry);
      signal?.addEventListener(
        "abort",
        () => {
          if (!pending.has(id)) return;
          pending.delete(id);
          endpoint.postMessage({ type: "abort", id } satisfies ToEngine);
          const reason = signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
          if (entry.body) entry.body.error(reason);
          else reject(reason);
        },
        { once: true },
      );
      endpoint.postMessage({
        type: "request",
        id,
        method: request.method,
        url: request.url,
        headers: [...request.headers],
        body,
      } satisfies ToEngine);
    });
  };
}

/** Answers the requests arriving on `endpoint` with `handler`, streaming each body back; aborts reach the handler. */
export function serveEndpoint(endpoint: Endpoint, handler: (request: Request) => Promise<Response>): void {
  const running = new Map<number, AbortController>();
  const post = (m: FromEngine) => endpoint.postMessage(m);
  endpoint.addEventListener("message", (event) => {
    const m = event.data as ToEngine;
    if (m.type === "abort") running.get(m.id)?.abort();
    if (m.type === "request") void answer(m);
  });
  endpoint.start?.();

  async function answer(m: Extract<ToEngine, { type: "request" }>) {
    const controller = new AbortController();
    running.set(m.id, controller);
    try {
      const init: RequestInit = { method: m.method, headers: m.headers, signal: controller.signal };
      if (m.body !== null) init.body = m.body;
      const response = await handler(new Request(m.url, init));
      post({ type: "head", id: m.id, status: response.status, headers: [...response.headers] });
      const reader = response.body?.getReader();
      controller.signal.addEventListener("abort", () => void reader?.cancel().catch(() => {}), { once: true });
      while (reader) {
        const { done, value } = await reader.read();
        if (done || controller.signal.aborted) break;
        post({ type: "chunk", id: m.id, bytes: value });
      }
      post({ type: "end", id: m.id });
    } catch (error) {
      post({ type: "error", id: m.id, error: serializeError(error) });
    } finally {
      running.delete(m.id);
    }
  }
}
