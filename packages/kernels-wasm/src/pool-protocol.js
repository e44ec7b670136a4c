// The control block the thread pool and its workers share (plain JS, so pool-worker.js can import it as-is; typed by
// pool-protocol.d.ts for pool.ts). One Int32Array over a SharedArrayBuffer, args as Float64 from ARGS_BYTE_OFFSET.

/** Bumped once per job; workers wait on it. */
export const GENERATION = 0;
/** Workers still running the current job. */
export const PENDING = 1;
/** Index of the op in the ops list (−1: shut down). */
export const OP = 2;
export const N = 3;
/** Threads taking part in this job (workers past it get empty slices). */
export const THREADS = 4;
export const NARGS = 5;
/** Set by a worker whose slice trapped. */
export const FAILED = 6;
export const ARGS_BYTE_OFFSET = 64;
export const MAX_ARGS = 16;

/** Slice `index` of [0, n) among `threads`, boundaries rounded to 4 rows (a matmul pass is 4 rows). */
export function slice(n, threads, index) {
  const per = Math.ceil(n / threads / 4) * 4;
  return [Math.min(n, index * per), Math.min(n, (index + 1) * per)];
}
