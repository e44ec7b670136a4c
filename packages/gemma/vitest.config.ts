import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "../../vitest.shared.js";

/** SwiftShader's Vulkan driver from Debian's chromium package: the `webgpu` package's adapter without a GPU. */
const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "gemma",
      include: ["src/**/*.test.ts"],
      // node-llama-cpp (the llama.cpp oracle) runs the CPU binary inside its npm package: never download or build
      // the WebGPU backend's tests run on SwiftShader
      env: {
        NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true",
        VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD,
      },
      testTimeout: 30_000,
    },
  }),
);
