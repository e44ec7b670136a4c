/**
 * The kernels in headless Chromium (Debian's `chromium`, installed by .ci/run): served from 127.0.0.1 with COOP/COEP
 * headers so pages are cross-origin isolated, driven by playwright-core. Needs the built package (`dist/`).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
let server: Server;
let context: BrowserContext;
let base: string;
let profile: string;

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
  profile = await mkdtemp(join(tmpdir(), "gemma-edge-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  server?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe("in headless Chromium", () => {
  it("runs relaxed SIMD on 2 threads in a Web Worker, one thread on the main thread, and matches the reference", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/test/browser/index.html`);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, {
      timeout: 60_000,
    });
    const result = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as {
      main: unknown;
      crossOriginIsolated: boolean;
      report: unknown;
      threads: number;
      matmul: Record<string, number>;
      error?: string;
    };
    expect(result.error).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.main).toEqual({ build: "relaxed", threads: 1 });
    expect(result.report).toEqual({ build: "relaxed", threads: 2 });
    expect(Object.keys(result.matmul)).toHaveLength(7);
    for (const [format, worst] of Object.entries(result.matmul)) expect(worst, format).toBeLessThanOrEqual(1e-5);
  });
});
