/**
 * The one error class of the HTTP layer is Hono's `HTTPException`; `httpError` builds one whose response is an
 * OpenAI-style JSON error body (`{ error: { message, type, code, param } }`), so every client error is typed JSON.
 */
import type { ErrorBody, ErrorType } from "@gemma-edge/protocol";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface HttpErrorInit {
  message: string;
  type: ErrorType;
  code?: string | null;
  param?: string | null;
  /** Extra fields of the error object (validation issues, policy findings). */
  extra?: Omit<ErrorBody["error"], "message" | "type" | "code" | "param">;
  headers?: Record<string, string>;
}

/** An HTTPException carrying a JSON error body. */
export function httpError(status: ContentfulStatusCode, init: HttpErrorInit): HTTPException {
  const body: ErrorBody = {
    error: {
      message: init.message,
      type: init.type,
      code: init.code ?? null,
      param: init.param ?? null,
      ...init.extra,
    },
  };
  const res = new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...init.headers },
  });
  return new HTTPException(status, { res, message: init.message });
}
