import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "gemma",
      include: ["src/**/*.test.ts"],
      // node-llama-cpp (the llama.cpp oracle) runs the CPU binary inside its npm package: never download or build
      env: { NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" },
      testTimeout: 30_000,
    },
  }),
);
