/**
 * `createApp(options)` → the gemma-edge Hono app, runtime-agnostic: Node, Cloudflare Workers and tests run the same
 * app; only adapters differ. Middleware order: request id ▸ access log ▸ CORS ▸ body limit ▸ auth ▸ rate limit.
 */
import { type Handler, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import "./context.js";
import { httpError } from "./errors.js";
import { adminAuth, apiKeyAuth } from "./middleware/auth/index.js";
import { accessLog, jsonLogger } from "./middleware/logger/index.js";
import { rateLimit, TokenBuckets } from "./middleware/rate-limit/index.js";
import { requestId } from "./middleware/request-id/index.js";
import { type AppOptions, DEFAULT_LIMITS, type Limits } from "./options.js";
import { memoryPolicyStore } from "./policies.js";
import { chatCompletions } from "./routes/chat.js";
import { completions } from "./routes/completions.js";
import type { RouteDeps } from "./routes/deps.js";
import { listModels } from "./routes/models.js";
import { moderations } from "./routes/moderations.js";
import { deletePolicy, getPolicy, putPolicy } from "./routes/policies.js";

/**
 * @example
 * const app = createApp({ backend: openAICompatibleBackend({ baseURL }), keys: [{ id: "app", policyId: "default", sha256 }] });
 * export default app; // Cloudflare Workers; or serve(app) on Node
 */
export function createApp(options: AppOptions): Hono {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.logger ?? jsonLogger;
  const limiter =
    options.rateLimiter ?? new TokenBuckets(options.rateLimit ?? { capacity: 60, refillPerSecond: 1 }, options.now);
  const policies = options.policies ?? memoryPolicyStore();
  const app = new Hono();

  app.use(requestId());
  app.use(accessLog(log));
  if (options.corsOrigins)
    app.use(cors({ origin: options.corsOrigins, exposeHeaders: ["x-request-id", "retry-after"] }));

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: () => {
        throw httpError(413, {
          message: `The request body is larger than ${limits.maxBodyBytes} bytes.`,
          type: "invalid_request_error",
          code: "request_too_large",
        });
      },
    }),
  );
  const user = [apiKeyAuth(options.keys), rateLimit(limiter)];
  const admin = [adminAuth(options.adminKeySha256)];
  const deps: RouteDeps = { backend: options.backend, limits, policies, log, guard: options.guard ?? {} };
  const routes: Array<[string, "GET" | "POST" | "PUT" | "DELETE", MiddlewareHandler[], Handler]> = [
    ["/v1/models", "GET", user, listModels(options.backend)],
    ["/v1/chat/completions", "POST", user, chatCompletions(deps)],
    ["/v1/completions", "POST", user, completions(deps)],
    ["/v1/moderations", "POST", user, moderations(deps)],
    ["/v1/policies/:id", "GET", admin, getPolicy(policies)],
    ["/v1/policies/:id", "PUT", admin, putPolicy(policies)],
    ["/v1/policies/:id", "DELETE", admin, deletePolicy(policies)],
  ];
  const allowed = new Map<string, string[]>();
  for (const [path, method, middleware, handler] of routes) {
    app.on([method], [path], ...middleware, handler);
    allowed.set(path, [...(allowed.get(path) ?? []), method]);
  }
  for (const [path, methods] of allowed) {
    app.all(path, () => {
      throw httpError(405, {
        message: `${path} accepts ${methods.join(", ")} only.`,
        type: "invalid_request_error",
        code: "method_not_allowed",
        headers: { allow: methods.join(", ") },
      });
    });
  }

  app.notFound(() => {
    throw httpError(404, { message: "No such route.", type: "not_found_error", code: "route_not_found" });
  });

  app.onError((error, c) => {
    const id = c.get("requestId");
    if (error instanceof HTTPException) {
      const res = error.getResponse();
      const out = new Response(res.body, res);
      if (id) out.headers.set("x-request-id", id);
      return out;
    }
    log({ ts: new Date().toISOString(), level: "error", msg: "unhandled error", request_id: id, error: error.name });
    const res = httpError(500, {
      message: "Internal server error.",
      type: "server_error",
      code: "internal_error",
    }).getResponse();
    if (id) res.headers.set("x-request-id", id);
    return res;
  });
  return app;
}
