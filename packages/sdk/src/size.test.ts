/**
 * Size budget of the remote client: ≤ 15 KB minified + gzip. Why 15 KB: it ships inside apps and Workers where every
 * kilobyte is paid on each cold start and page load; the official `openai` client is ~30 KB gz, and ours has no
 * schemas to carry (the zod schemas stay on the server), so half of that is a budget that leaves room to grow while
 * catching an accidental import of the schemas (which alone would blow it).
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const BUDGET = 15 * 1024;

describe("bundle size", () => {
  it("the remote client is ≤ 15 KB minified + gzip, and carries neither zod nor the AI SDK provider", async () => {
    const result = await build({
      entryPoints: [new URL("./index.ts", import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      conditions: ["@gemma-edge/source"],
      metafile: true,
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const gz = gzipSync(code).length;
    expect(gz).toBeLessThanOrEqual(BUDGET);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.includes("node_modules/zod"))).toBe(false);
    expect(inputs.some((p) => p.includes("node_modules/@ai-sdk") || p.includes("src/ai/"))).toBe(false);
    console.log(`remote client: ${code.length} B minified, ${gz} B gzip (budget ${BUDGET} B)`);
  });
});
