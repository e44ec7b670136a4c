import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({ test: { name: "example-policies", include: ["src/**/*.test.ts"], testTimeout: 30_000 } }),
);
