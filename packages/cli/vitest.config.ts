import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "cli",
      include: ["src/**/*.test.ts"],
      testTimeout: 60_000,
      // --backend webgpu runs on SwiftShader's Vulkan driver from Debian's chromium package
      env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? "/usr/lib/chromium/vk_swiftshader_icd.json" },
    },
  }),
);
