/**
 * The loopback HTTP server of the browser tests: every answer carries COOP/COEP headers, so pages are cross-origin
 * isolated (SharedArrayBuffer, hence WASM threads); `route(path)` says what a path serves (undefined → 404).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";

export interface Served {
  body: string | Uint8Array;
  /** @default by the path's extension */
  type?: string;
}

export interface IsolatedServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

export async function serveIsolated(
  route: (path: string) => Served | undefined | Promise<Served | undefined>,
): Promise<IsolatedServer> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    try {
      const served = await route(path);
      if (served === undefined) return void res.writeHead(404).end();
      const type = served.type ?? TYPES[extname(path)] ?? "application/octet-stream";
      res.writeHead(200, { ...ISOLATION_HEADERS, "content-type": type }).end(served.body);
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
