/**
 * Retry policy: connection errors, 408, 409, 429 and ≥ 500 are retried up to `maxRetries` times with exponential
 * backoff and full jitter (0.5 s, 1 s, 2 s … capped at 8 s), or after the server's `Retry-After` (seconds or a date,
 * capped at 60 s).
 */
export function shouldRetry(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Milliseconds to wait before retry `attempt` (0-based). */
export function retryDelay(attempt: number, retryAfter: string | null, random: () => number = Math.random): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, 60_000);
  }
  const base = Math.min(500 * 2 ** attempt, 8000);
  return base / 2 + random() * (base / 2);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
