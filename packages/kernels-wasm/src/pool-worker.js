// A kernel thread (plain JS: it runs as-is in Node worker_threads and browser Web Workers). It instantiates the
// kernel module over the shared memory, then takes chunks of each op posted in the control block (see pool.ts).
import {
  ARGS_BYTE_OFFSET,
  FAILED,
  GENERATION,
  NARGS,
  OP,
  PENDING,
  SPINS,
  spinUntilChanged,
  THREADS,
  takeChunks,
} from "./pool-protocol.js";

const port = globalThis.process?.getBuiltinModule?.("node:worker_threads")?.parentPort;
const post = (m) => (port ? port.postMessage(m) : globalThis.postMessage(m));

async function start({ module, memory, control, index, ops, scratch, scratchBytes }) {
  let instance;
  try {
    instance = await WebAssembly.instantiate(module, { env: { memory, abort: () => {} } });
    instance.exports.set_thread_scratch(scratch, scratchBytes); // this thread's own region (assembly/thread-scratch.ts)
  } catch (error) {
    post(`kernel worker ${index} could not instantiate: ${error}`);
    return;
  }
  const ctrl = new Int32Array(control);
  const args = new Float64Array(control, ARGS_BYTE_OFFSET);
  // Read the generation before saying ready: a job posted right after "ready" must not be missed.
  let seen = Atomics.load(ctrl, GENERATION);
  post("ready");
  for (;;) {
    if (!spinUntilChanged(ctrl, GENERATION, seen, SPINS)) Atomics.wait(ctrl, GENERATION, seen);
    seen = Atomics.load(ctrl, GENERATION);
    if (ctrl[OP] === -1) return;
    if (index < ctrl[THREADS]) {
      const fn = instance.exports[ops[ctrl[OP]]];
      const a = Array.from(args.subarray(0, ctrl[NARGS]));
      if (takeChunks(ctrl, (s, e) => fn(...a, s, e)) !== undefined) Atomics.store(ctrl, FAILED, 1);
    }
    if (Atomics.sub(ctrl, PENDING, 1) === 1) Atomics.notify(ctrl, PENDING);
  }
}

if (port) port.once("message", start);
else globalThis.addEventListener("message", (e) => start(e.data), { once: true });
