/** What the routes share: the backend, the limits, the policy store and the logger. */
import type { Backend } from "../backends/types.js";
import type { Logger } from "../middleware/logger/index.js";
import type { Limits } from "../options.js";
import type { PolicyStore } from "../policies.js";

export interface RouteDeps {
  backend: Backend;
  limits: Limits;
  policies: PolicyStore;
  log: Logger;
}
