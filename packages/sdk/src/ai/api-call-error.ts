/**
 * The SDK's HTTP and connection errors as the AI SDK's `APICallError`, the convention its providers follow for a
 * failed call: `statusCode`, `responseHeaders`, `responseBody` (the error JSON), `data` (the same, parsed:
 * `{ error: { message, type, code, param, gemma_edge? } }`), the SDK error as `cause`, and `isRetryable` by the
 * client's retry policy (connection errors, 408, 409, 429, ≥ 500) — the AI SDK's own `maxRetries` does the retrying.
 * A refused input (HTTP 400, `code: "content_filter"`) is therefore a non-retryable `APICallError` whose `data` holds
 * the policy's findings (`moderationOf(error)`), and whose `cause` is the SDK's `ContentFilterError`.
 */
import { APICallError } from "@ai-sdk/provider";
import { APIConnectionError, APIError } from "../errors.js";
import { shouldRetry } from "../retry.js";

/** An `APICallError` for an SDK error; anything else (an abort, a bug) is returned unchanged. */
export function toAPICallError(error: unknown, url: string, requestBodyValues: unknown): unknown {
  if (error instanceof APIError) {
    const data = error.body ? { error: error.body } : undefined;
    return new APICallError({
      message: error.message,
      url,
      requestBodyValues,
      statusCode: error.status,
      responseHeaders: Object.fromEntries(error.headers),
      ...(data ? { responseBody: JSON.stringify(data), data } : {}),
      isRetryable: shouldRetry(error.status),
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new APICallError({ message: error.message, url, requestBodyValues, isRetryable: true, cause: error });
  }
  return error;
}
