/**
 * Structured access log: one JSON record per request with request id, key id, method, path, status, duration and —
 * when a policy acted — its decision and the category/entity names. Never bodies, prompts, outputs or PII.
 */
import type { GemmaEdgeModeration } from "@gemma-edge/protocol";
import type { MiddlewareHandler } from "hono";

export interface LogRecord {
  ts: string;
  level: "info" | "warn" | "error";
  msg: string;
  request_id?: string;
  key_id?: string | undefined;
  method?: string;
  path?: string;
  status?: number;
  duration_ms?: number;
  policy_id?: string;
  decision?: string;
  categories?: string[];
  entities?: string[];
  error?: string;
}

export type Logger = (record: LogRecord) => void;

/** Writes each record as one JSON line to stdout. */
export const jsonLogger: Logger = (record) => console.log(JSON.stringify(record));

export function accessLog(log: Logger): MiddlewareHandler {
  return async function accessLog(c, next) {
    const start = performance.now();
    await next();
    const moderation = c.get("moderation");
    const record: LogRecord = {
      ts: new Date().toISOString(),
      level: c.res.status >= 500 ? "error" : c.res.status >= 400 ? "warn" : "info",
      msg: "request",
      request_id: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - start) * 10) / 10,
    };
    const key = c.get("apiKey");
    if (key) record.key_id = key.id;
    log(moderation ? { ...record, ...moderationFields(moderation) } : record);
  };
}

/** The loggable part of a policy report: decision and the names of categories and entities, never text or spans. */
export function moderationFields(
  moderation: GemmaEdgeModeration,
): Pick<LogRecord, "policy_id" | "decision" | "categories" | "entities"> {
  return {
    policy_id: moderation.policy_id,
    decision: moderation.decision,
    categories: [...new Set(moderation.findings.flatMap((f) => (f.kind === "category" ? [f.category] : [])))],
    entities: [...new Set(moderation.findings.flatMap((f) => (f.kind === "entity" ? [f.entity] : [])))],
  };
}
