/** What the routes share: the backend, the limits, the policy store, the guards' options and the logger. */
import type { GuardOptions } from "@gemma-edge/safety";
import type { Backend } from "../backends/types.js";
import type { Logger } from "../middleware/logger/index.js";
import type { Limits } from "../options.js";
import type { PolicyStore } from "../policies.js";

export interface RouteDeps {
  backend: Backend;
  limits: Limits;
  policies: PolicyStore;
  log: Logger;
  /** Extra classifiers, hash keys and detectors for every guard call. */
  guard: GuardOptions;
}
