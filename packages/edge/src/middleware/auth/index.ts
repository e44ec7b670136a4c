/**
 * Bearer API keys. Keys are held only as SHA-256 hashes and compared in constant time; each maps to a key id (for
 * logs and rate limits) and a policy id. Missing or unknown keys → 401 with a JSON error body.
 */
import type { MiddlewareHandler } from "hono";
import type { ApiKeyInfo } from "../../context.js";
import { httpError } from "../../errors.js";

export interface ApiKeyRecord extends ApiKeyInfo {
  /** SHA-256 of the key, hex. */
  sha256: string;
}

/** SHA-256 of a string, hex (Web Crypto: works in Node, workerd and browsers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two equal-length hex strings without an early exit. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Finds the record of a presented key, checking every record (no early exit on a match). */
export async function findKey(keys: readonly ApiKeyRecord[], presented: string): Promise<ApiKeyRecord | undefined> {
  const hash = await sha256Hex(presented);
  let found: ApiKeyRecord | undefined;
  for (const record of keys) if (constantTimeEqual(record.sha256, hash)) found = record;
  return found;
}

function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer[ ]+([\x21-\x7e]{1,512})$/);
  return m?.[1];
}

export function apiKeyAuth(keys: readonly ApiKeyRecord[]): MiddlewareHandler {
  return async function apiKeyAuth(c, next) {
    const presented = bearer(c.req.header("authorization"));
    if (presented === undefined) {
      throw httpError(401, {
        message: "Missing API key: send it as `Authorization: Bearer <key>`.",
        type: "authentication_error",
        code: "missing_api_key",
        headers: { "www-authenticate": "Bearer" },
      });
    }
    const record = await findKey(keys, presented);
    if (!record) {
      throw httpError(401, { message: "Invalid API key.", type: "authentication_error", code: "invalid_api_key" });
    }
    c.set("apiKey", {
      id: record.id,
      policyId: record.policyId,
      ...(record.rateLimit ? { rateLimit: record.rateLimit } : {}),
    });
    await next();
  };
}

/** The admin key for policy routes: 403 for any other key. */
export function adminAuth(adminSha256: string | undefined): MiddlewareHandler {
  return async function adminAuth(c, next) {
    const presented = bearer(c.req.header("authorization"));
    const ok =
      adminSha256 !== undefined &&
      presented !== undefined &&
      constantTimeEqual(await sha256Hex(presented), adminSha256);
    if (!ok)
      throw httpError(403, {
        message: "This route needs the admin key.",
        type: "permission_error",
        code: "admin_only",
      });
    await next();
  };
}
