/**
 * The kernels in headless Chromium (Debian's `chromium`, installed by .ci/run): served from 127.0.0.1 with COOP/COEP
 * headers so pages are cross-origin isolated, driven by playwright-core. Needs the built package (`dist/`).
 */
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, launchChromium, pageResult } from "../../../test-support/chromium.js";
import { type IsolatedServer, serveIsolated } from "../../../test-support/isolated-server.js";

const root = fileURLToPath(new URL("..", import.meta.url));
let server: IsolatedServer;
let browser: Chromium;
let base: string;

beforeAll(async () => {
  // the package folder, read-only
  server = await serveIsolated(async (path) => {
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return undefined;
    try {
      return { body: await readFile(file) };
    } catch {
      return undefined;
    }
  });
  base = server.url;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
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
