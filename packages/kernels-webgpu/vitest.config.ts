import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

/** SwiftShader's Vulkan driver from Debian's chromium package: the `webgpu` package's adapter on a machine without a GPU. */
const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "kernels-webgpu",
      include: ["src/**/*.test.ts"],
      testTimeout: 60_000,
      env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD },
    },
  }),
);
