import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({
    test: { name: "example-browser-chat", include: ["test/**/*.test.ts"], testTimeout: 90_000, hookTimeout: 90_000 },
  }),
);
