/**
 * The SDK's errors. Every one is a `GemmaEdgeError` (`GemmaEdgeError.isInstance` works across copies of the package);
 * HTTP failures are `APIError`s subclassed by status, a request refused by the server's moderation policy is a
 * `ContentFilterError` carrying the policy's findings, and network failures are `APIConnectionError` /
 * `APIConnectionTimeoutError`.
 */
import type { ErrorBody, Finding, GemmaEdgeModeration } from "@gemma-edge/protocol";

const marker = Symbol.for("gemma-edge.sdk.error");

export class GemmaEdgeError extends Error {
  readonly [marker] = true;
  override readonly name: string = "GemmaEdgeError";
  static isInstance(value: unknown): value is GemmaEdgeError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

/** An HTTP error answer; `body` is the server's JSON error object when it sent one. */
export class APIError extends GemmaEdgeError {
  override readonly name: string = "APIError";
  readonly code: string | null;
  readonly param: string | null;
  readonly type: string | null;
  constructor(
    readonly status: number,
    readonly body: ErrorBody["error"] | undefined,
    readonly headers: Headers,
    message = body?.message ?? `HTTP ${status}`,
  ) {
    super(message);
    this.code = body?.code ?? null;
    this.param = body?.param ?? null;
    this.type = body?.type ?? null;
  }
  /** The server's request id, for support. */
  get requestId(): string | null {
    return this.headers.get("x-request-id");
  }
}

export class BadRequestError extends APIError {
  override readonly name: string = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override readonly name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override readonly name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override readonly name = "NotFoundError";
}
export class ConflictError extends APIError {
  override readonly name = "ConflictError";
}
export class UnprocessableEntityError extends APIError {
  override readonly name = "UnprocessableEntityError";
}
export class RateLimitError extends APIError {
  override readonly name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override readonly name = "InternalServerError";
}

/** The input was refused by the moderation policy (HTTP 400, `code: "content_filter"`). */
export class ContentFilterError extends BadRequestError {
  override readonly name = "ContentFilterError";
  readonly moderation: GemmaEdgeModeration | undefined;
  constructor(status: number, body: ErrorBody["error"] | undefined, headers: Headers) {
    super(status, body, headers);
    this.moderation = body?.gemma_edge;
  }
  get findings(): Finding[] {
    return this.moderation?.findings ?? [];
  }
  /** The harm categories that were found. */
  get categories(): string[] {
    return [...new Set(this.findings.flatMap((f) => (f.kind === "category" ? [f.category] : [])))];
  }
  get stage(): Finding["stage"] | undefined {
    return this.findings[0]?.stage;
  }
}

export class APIConnectionError extends GemmaEdgeError {
  override readonly name: string = "APIConnectionError";
}
export class APIConnectionTimeoutError extends APIConnectionError {
  override readonly name = "APIConnectionTimeoutError";
}

/** The error class for an HTTP status and body. */
export function errorFor(status: number, body: ErrorBody["error"] | undefined, headers: Headers): APIError {
  if (status === 400 && body?.code === "content_filter") return new ContentFilterError(status, body, headers);
  const byStatus: Record<number, typeof APIError> = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
  };
  const Class = byStatus[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(status, body, headers);
}
