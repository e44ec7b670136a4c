/// <reference types="node" />
/**
 * The Node adapter: serves a gemma-edge app with @hono/node-server on a host and port.
 */
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface ServeOptions {
  /** @default "127.0.0.1" */
  hostname?: string;
  /** @default 8787 */
  port?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens (port 0 picks a free port). */
export function serveNode(
  app: Hono,
  { hostname = "127.0.0.1", port = 8787 }: ServeOptions = {},
): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
