/**
 * The engine side of a local client on any endpoint (a worker's global scope, a MessagePort): waits for `init`,
 * reports progress, starts the engine, then answers requests until `close`.
 */
import { serializeError, serveEndpoint } from "./bridge.js";
import { type LocalEngine, startLocalEngine } from "./engine.js";
import type { Endpoint, FromEngine, ToEngine } from "./messages.js";

export function serveLocalEngine(endpoint: Endpoint, onClose?: () => void): void {
  let engine: Promise<LocalEngine> | undefined;
  const post = (m: FromEngine) => endpoint.postMessage(m);
  endpoint.addEventListener("message", (event) => {
    const m = event.data as ToEngine;
    if (m.type === "init" && !engine) {
      engine = startLocalEngine(m.init, (progress) => post({ type: "progress", progress }));
      engine.then(
        (e) => post({ type: "ready", info: e.info }),
        (error: unknown) => post({ type: "init-error", error: serializeError(error) }),
      );
    } else if (m.type === "close") {
      void engine?.then((e) => e.close()).catch(() => {});
      onClose?.();
    }
  });
  serveEndpoint(endpoint, async (request) => (await (engine as Promise<LocalEngine>)).fetch(request));
}
