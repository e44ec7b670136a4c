/**
 * The thread pool: workers that instantiate the same module over the same shared memory and wait on a control
 * block (Atomics.wait / notify, after a short spin). An op's [0, n) range is cut into a few chunks per thread that
 * the calling thread and the workers take one at a time (`takeChunks`), so nobody waits on a late or slow thread's
 * fixed share. Small ops run on the calling thread alone: waking workers costs more than they save.
 */
import { KernelLoadError, KernelTrapError } from "./errors.js";
import type { KernelExports, OpRunner } from "./kernels.js";
import { THREAD_SCRATCH_BYTES } from "./memory.js";
import {
  ARGS_BYTE_OFFSET,
  CHUNK,
  chunkSize,
  FAILED,
  GENERATION,
  MAX_ARGS,
  N,
  NARGS,
  NEXT,
  OP,
  ORDER,
  PENDING,
  SPINS,
  THREADS,
  takeChunks,
} from "./pool-protocol.js";

/**
 * Items below which an op stays on the calling thread. rmsnorm, rope and the embedding's dequant_rows stay there
 * up to a prefill batch of 128 tokens (Gemma-2B: 128 rows of 2048, 128 tokens × 8 heads): split at 32 tokens they
 * ran 0.2×, 0.6× and 0.04× of their one-thread time inside a prefill (the worker first pulls rows another core just
 * wrote), though a tight loop of the same rmsnorm splits well (bench/threads.mjs; prefill 1.01–1.02× kept whole).
 */
const MIN_ITEMS: Record<string, number> = {
  prefault: 256,
  attention: 2,
  rmsnorm: 256,
  softmax: 8,
  rope: 1024,
  quantize_q8a: 8,
  dequant_rows: 256,
};
/**
 * Ops whose later items cost more, so their chunks are taken last first and the cheap ones fill in at the end:
 * attention's items are query-major and query t attends to t + 1 keys (a 128-token prefill: the last chunk cost
 * 15× the first, taken first to last the calling thread waited on it).
 */
const DESCENDING = new Set(["attention"]);
const MIN_MATMUL_ROWS = 64;
const MIN_ELEMENTS = 1 << 16;
/** No op takes this long (a 256000×2048 matmul takes ~0.1 s); past it a worker is gone. */
const STALL_MS = 60_000;

type AnyWorker = {
  postMessage(message: unknown): void;
  terminate(): unknown;
  unref?(): void;
  on?(event: string, listener: (value: unknown) => void): void;
  addEventListener?(event: string, listener: (event: { data?: unknown; message?: string }) => void): void;
};

export interface Pool extends OpRunner {
  close(): void;
}

/** A thread. The browser branch is one `new Worker(new URL(…), { type: "module" })` expression so bundlers build it. */
function spawn(): AnyWorker {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = node?.getBuiltinModule?.("node:worker_threads") as { Worker: new (u: URL) => AnyWorker } | undefined;
  if (threads) return new threads.Worker(new URL("./pool-worker.js", import.meta.url));
  return new Worker(new URL("./pool-worker.js", import.meta.url), { type: "module" }) as unknown as AnyWorker;
}

export async function createPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  exports: KernelExports,
  threads: number,
  /** Start of `threads` private scratch regions (memory.ts THREAD_SCRATCH_BYTES each); worker i takes region i. */
  scratch: number,
): Promise<Pool> {
  const control = new SharedArrayBuffer(ARGS_BYTE_OFFSET + MAX_ARGS * 8);
  const ctrl = new Int32Array(control);
  const args64 = new Float64Array(control, ARGS_BYTE_OFFSET, MAX_ARGS);
  const ops: string[] = Object.keys(exports).filter(
    (k) => typeof (exports as unknown as Record<string, unknown>)[k] === "function",
  );
  const workers: AnyWorker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads - 1 }, (_, i) => {
        const worker = spawn();
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          const onMessage = (data: unknown) =>
            data === "ready" ? resolve() : reject(new KernelLoadError(String(data)));
          const onError = (error: unknown) =>
            reject(new KernelLoadError(`a kernel worker failed to start: ${String(error)}`));
          if (worker.on) {
            worker.on("message", onMessage);
            worker.on("error", onError);
          } else {
            worker.addEventListener?.("message", (e) => onMessage(e.data));
            worker.addEventListener?.("error", (e) => onError(e.message));
          }
          worker.postMessage({
            module,
            memory,
            control,
            index: i + 1,
            ops,
            scratch: scratch + (i + 1) * THREAD_SCRATCH_BYTES,
            scratchBytes: THREAD_SCRATCH_BYTES,
          });
        });
      }),
    );
  } catch (error) {
    for (const w of workers) w.terminate();
    throw error;
  }
  for (const w of workers) w.unref?.();

  const table = exports as unknown as Record<string, (...a: number[]) => void>;
  const pool: Pool = {
    threads,
    run(op, args, n, use) {
      const fn = table[op];
      if (!fn) throw new KernelLoadError(`no op ${op}`);
      const min = op.startsWith("matmul_") ? MIN_MATMUL_ROWS : (MIN_ITEMS[op] ?? MIN_ELEMENTS);
      const active = Math.min(use, threads);
      if (active < 2 || n < min * 2 || args.length > MAX_ARGS) {
        fn(...args, 0, n);
        return;
      }
      ctrl[OP] = ops.indexOf(op);
      ctrl[N] = n;
      ctrl[THREADS] = active; // workers past `active` take no chunks
      ctrl[NARGS] = args.length;
      ctrl[FAILED] = 0;
      ctrl[CHUNK] = chunkSize(n, active);
      ctrl[NEXT] = 0;
      ctrl[ORDER] = DESCENDING.has(op) ? 1 : 0;
      args64.set(args);
      Atomics.store(ctrl, PENDING, threads - 1);
      Atomics.add(ctrl, GENERATION, 1);
      Atomics.notify(ctrl, GENERATION);
      const error = takeChunks(ctrl, (s, e) => fn(...args, s, e));
      for (let i = 0; i < SPINS && Atomics.load(ctrl, PENDING) !== 0; i++); // spin first (see pool-protocol.js)
      const deadline = Date.now() + STALL_MS;
      for (let p = Atomics.load(ctrl, PENDING); p !== 0; p = Atomics.load(ctrl, PENDING)) {
        if (Atomics.wait(ctrl, PENDING, p, 1000) === "timed-out" && Date.now() > deadline) {
          pool.close();
          throw new KernelTrapError(`${op}: a kernel worker stopped answering; the pool is closed`);
        }
      }
      if (error) throw error;
      if (ctrl[FAILED]) throw new WebAssembly.RuntimeError(`${op} trapped on a worker thread`);
    },
    close() {
      ctrl[OP] = -1;
      Atomics.add(ctrl, GENERATION, 1);
      Atomics.notify(ctrl, GENERATION);
      for (const w of workers) w.terminate();
    },
  };
  return pool;
}
