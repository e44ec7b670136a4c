/**
 * Gives every request an id: the caller's `x-request-id` when it is a short, safe token, else a new UUID. The id
 * is set on the context and echoed in the response header.
 */
import type { MiddlewareHandler } from "hono";

const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestIdOptions {
  /** @default "x-request-id" */
  header?: string;
}

export function requestId({ header = "x-request-id" }: RequestIdOptions = {}): MiddlewareHandler {
  return async function requestId(c, next) {
    const given = c.req.header(header);
    const id = given && SAFE.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    c.header(header, id);
    await next();
    c.header(header, id);
  };
}
