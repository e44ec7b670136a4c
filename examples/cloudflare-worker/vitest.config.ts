import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "example-cloudflare-worker",
      include: ["src/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 180_000,
    },
  }),
);
