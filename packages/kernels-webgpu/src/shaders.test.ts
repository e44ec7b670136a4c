import { readFileSync } from "node:fs";
import { randomValues, randomWeights } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { buildShaders, GENERATED, generatedModule } from "../scripts/wgsl.mjs";
import { gpuKernels } from "../test/gpu.js";
import { BINDINGS } from "./shaders.js";

describe("shaders", () => {
  it("src/shaders.generated.ts is current (run `npm run build` after editing src/wgsl/)", () => {
    expect(readFileSync(GENERATED, "utf8")).toBe(generatedModule());
  });

  it("every shader has a binding layout, and includes are resolved once", () => {
    for (const [name, code] of Object.entries(buildShaders())) {
      expect(BINDINGS[name.split("/")[0] ?? ""], name).toBeDefined();
      expect(code, name).not.toMatch(/#include/);
      expect(code.match(/fn f16_to_f32\(/g)?.length ?? 0, name).toBeLessThanOrEqual(1);
    }
  });

  it("after a warm-up, a forward-like run of 50 ops is one submit", async () => {
    const k = await gpuKernels();
    const w = k.upload("q4_0", 64, 64, randomWeights("q4_0", 64, 64, 1));
    const [x, y, n] = [k.alloc(64), k.alloc(64), k.alloc(64)];
    k.write(x, randomValues(64, 2, 1));
    await k.flush();
    const step = () => {
      k.rmsnorm(x, n, y, 1, 64, 1e-6);
      k.matvec(w, y, x);
      k.geluGate(x, y, x);
      k.rope(x, 1, 2, 32, [3], 10000);
      k.add(x, y, x);
    };
    step(); // the first aliased output grows the scratch buffer (a submit)
    await k.flush();
    const before = k.submits;
    for (let i = 0; i < 10; i++) step();
    await k.read(x);
    expect(k.submits - before).toBe(1);
    k.destroy();
  });
});
