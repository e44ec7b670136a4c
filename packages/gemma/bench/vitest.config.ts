/** Runs the package's benchmarks (not part of the test suite): `npx vitest run --config bench/vitest.config.ts`. */
import { fileURLToPath } from "node:url";
import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "gemma-bench",
      root: fileURLToPath(new URL("..", import.meta.url)),
      include: ["bench/**/*.bench.ts"],
      testTimeout: 600_000,
    },
  }),
);
