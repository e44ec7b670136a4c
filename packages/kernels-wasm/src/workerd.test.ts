/**
 * The kernels inside workerd (Cloudflare Workers' runtime) through Miniflare: wasm imported as modules, no threads.
 * Needs the built package (`dist/`), which turbo's test task builds first.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

let mf: Miniflare;
beforeAll(async () => {
  const dist = files(join(root, "dist"));
  const module = (path: string, type: "ESModule" | "CompiledWasm") => ({
    type,
    path: relative(root, path),
    contents: readFileSync(path),
  });
  mf = new Miniflare({
    modulesRoot: root,
    modules: [
      module(join(root, "test", "workerd-entry.js"), "ESModule"),
      ...dist.filter((f) => f.endsWith(".js")).map((f) => module(f, "ESModule")),
      ...dist.filter((f) => f.endsWith(".wasm")).map((f) => module(f, "CompiledWasm")),
    ],
    compatibilityDate: "2026-04-01",
  });
  await mf.ready;
}, 60_000);
afterAll(() => mf?.dispose());

async function call(query: string): Promise<Record<string, unknown>> {
  const response = await mf.dispatchFetch(`http://localhost/?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("inside workerd", () => {
  it("auto picks relaxed SIMD there (no flag needed), on one thread, and every format matches the reference", async () => {
    const body = await call("build=auto");
    expect(body.report).toEqual({ build: "relaxed", threads: 1 });
    for (const [format, worst] of Object.entries(body.matmul as Record<string, number>)) {
      expect(worst, format).toBeLessThanOrEqual(1e-5);
    }
    expect(body.attention).toBeLessThan(1e-5);
  });

  it("the plain SIMD build runs there too", async () => {
    const body = await call("build=simd");
    expect(body.report).toEqual({ build: "simd", threads: 1 });
    expect(Math.max(...Object.values(body.matmul as Record<string, number>))).toBeLessThanOrEqual(1e-5);
  });

  it("without imported modules, loading fails with a typed error (workerd cannot compile bytes or read files)", async () => {
    expect(await call("no-modules")).toEqual({ loaded: false, kernelError: true, name: "KernelLoadError" });
  });
});
