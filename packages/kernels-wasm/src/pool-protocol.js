// The control block the thread pool and its workers share (plain JS, so pool-worker.js can import it as-is; typed by
// pool-protocol.d.ts for pool.ts). One Int32Array over a SharedArrayBuffer, args as Float64 from ARGS_BYTE_OFFSET.

/** Bumped once per job; workers wait on it. */
export const GENERATION = 0;
/** Workers still running the current job. */
export const PENDING = 1;
/** Index of the op in the ops list (−1: shut down). */
export const OP = 2;
export const N = 3;
/** Threads taking part in this job (workers past it take no chunks). */
export const THREADS = 4;
export const NARGS = 5;
/** Set by a thread whose chunk trapped. */
export const FAILED = 6;
/** The next chunk of the current job to take (threads take chunks with Atomics.add until none is left). */
export const NEXT = 7;
/** Items per chunk of the current job. */
export const CHUNK = 8;
/** 1: the current job's chunks are taken last first (its later items cost more: see pool.ts DESCENDING). */
export const ORDER = 9;
export const ARGS_BYTE_OFFSET = 64;
export const MAX_ARGS = 16;

/**
 * Chunks per thread. The threads of a job take its chunks one by one, so a thread that starts late (a worker waking
 * from Atomics.wait) or runs slow (a busy core) takes fewer, instead of the others waiting for its fixed half.
 */
export const CHUNKS_PER_THREAD = 4;

/** Items per chunk of [0, n) among `threads`: a multiple of 4 (a matmul pass is 4 rows). */
export function chunkSize(n, threads) {
  return Math.max(4, Math.ceil(n / (threads * CHUNKS_PER_THREAD) / 4) * 4);
}

/**
 * Runs `fn(start, end)` on chunks of the posted job until none is left, first to last or (ORDER = 1) last to first;
 * returns what the first failing call threw. Every chunk starts at a multiple of CHUNK either way.
 */
export function takeChunks(ctrl, fn) {
  const n = ctrl[N];
  const chunk = ctrl[CHUNK];
  const count = Math.ceil(n / chunk);
  const descending = ctrl[ORDER] === 1;
  let error;
  for (let c = Atomics.add(ctrl, NEXT, 1); c < count; c = Atomics.add(ctrl, NEXT, 1)) {
    const start = (descending ? count - 1 - c : c) * chunk;
    try {
      fn(start, Math.min(n, start + chunk));
    } catch (cause) {
      error ??= cause ?? new Error("a kernel threw undefined");
    }
  }
  return error;
}

/** Reads of the control block a waiting thread spins through before it sleeps (about a millisecond). */
export const SPINS = Number(globalThis.process?.env?.GEMMA_EDGE_SPINS ?? 200_000);

/**
 * Busy-waits up to `spins` reads for `ctrl[index]` to differ from `value`; true when it did. A thread that sleeps in
 * Atomics.wait between the ~150 ops of a token pays a wake-up each time (a futex, and on a VM a halted vCPU to
 * resume: 10 µs to over 100 µs, and noisy), so both sides spin first — about a millisecond — and sleep only after.
 */
export function spinUntilChanged(ctrl, index, value, spins) {
  for (let i = 0; i < spins; i++) if (Atomics.load(ctrl, index) !== value) return true;
  return false;
}
