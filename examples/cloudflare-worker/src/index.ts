/**
 * The Worker this project deploys (`main` in wrangler.jsonc): gemma-edge's Cloudflare Workers adapter with two touches
 * of this operator's own — a landing response at `/`, and a logger that tags each record with the service name and
 * leaves successful health checks out of Workers Logs. Auth, rate limits, the safety pipeline and the backend are
 * `@gemma-edge/edge`, configured by the bindings wrangler.jsonc declares.
 */
import type { LogRecord } from "@gemma-edge/edge";
import { createWorker, type WorkerHandler } from "@gemma-edge/edge/cloudflare-workers";
// Only BACKEND=local (a tiny model in the isolate) runs the kernels; workerd cannot compile wasm bytes at run time, so
// they are imported as modules and wrangler uploads them beside the script (2 × 20 KB). Drop both lines and pass no
// `kernelModules` if you only use Workers AI or an upstream.
import relaxed from "@gemma-edge/kernels-wasm/wasm/kernels-relaxed.wasm";
import simd from "@gemma-edge/kernels-wasm/wasm/kernels-simd.wasm";

const SERVICE = "my-gemma-edge";

/** One JSON line per record (Workers Logs indexes its fields), tagged with the service; a 200 from /healthz is noise. */
function logger(record: LogRecord): void {
  if (record.path === "/healthz" && record.status === 200) return;
  console.log(JSON.stringify({ service: SERVICE, ...record }));
}

const edge = createWorker({ kernelModules: { simd, relaxed }, logger });

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/" && request.method === "GET") {
      return Response.json({ service: SERVICE, api: "/v1", health: "/healthz" });
    }
    return edge.fetch(request, env, ctx);
  },
} satisfies WorkerHandler;
