import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({
    // The timeout guards against hangs (ReDoS), not speed: hostile-input tests take ~1 s alone, longer on a busy CI core.
    test: { name: "safety", include: ["src/**/*.test.ts"], testTimeout: 30_000 },
  }),
);
