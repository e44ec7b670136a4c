/**
 * The kernels in headless Chromium (Debian's `chromium`, installed by .ci/run): served from 127.0.0.1 with COOP/COEP
 * headers so pages are cross-origin isolated, driven by playwright-core. Needs the built package (`dist/`).
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, launchChromium, pageResult } from "../../../test-support/chromium.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
let server: Server;
let browser: Chromium;
let base: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
    if (!path.startsWith(root)) return void res.writeHead(403).end();
    try {
      const body = await readFile(path);
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe("in headless Chromium", () => {
  it("runs relaxed SIMD on 2 threads in a Web Worker, one thread on the main thread, and matches the reference", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/test/browser/index.html`);
    const result = await pageResult<{
      main: unknown;
      crossOriginIsolated: boolean;
      report: unknown;
      threads: number;
      matmul: Record<string, number>;
      error?: string;
    }>(page);
    expect(result.error).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.main).toEqual({ build: "relaxed", threads: 1 });
    expect(result.report).toEqual({ build: "relaxed", threads: 2 });
    expect(Object.keys(result.matmul)).toHaveLength(7);
    for (const [format, worst] of Object.entries(result.matmul)) expect(worst, format).toBeLessThanOrEqual(1e-5);
  });
});
