/**
 * Settings every package's vitest project shares: resolve in-repo packages to their TypeScript
 * sources through the `@gemma-edge/source` export condition, so tests never need a stale `dist/`.
 */
import { defaultServerConditions } from "vite";

export const sourceConditions = ["@gemma-edge/source", ...defaultServerConditions];

export const shared = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
} as const;
