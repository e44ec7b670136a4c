// A kernel thread (plain JS: it runs as-is in Node worker_threads and browser Web Workers). It instantiates the
// kernel module over the shared memory, then runs its slice of each op posted in the control block (see pool.ts).
import { ARGS_BYTE_OFFSET, FAILED, GENERATION, N, NARGS, OP, PENDING, slice, THREADS } from "./pool-protocol.js";

const port = globalThis.process?.getBuiltinModule?.("node:worker_threads")?.parentPort;
const post = (m) => (port ? port.postMessage(m) : globalThis.postMessage(m));

async function start({ module, memory, control, index, ops }) {
  let instance;
  try {
    instance = await WebAssembly.instantiate(module, { env: { memory, abort: () => {} } });
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
    Atomics.wait(ctrl, GENERATION, seen);
    seen = Atomics.load(ctrl, GENERATION);
    if (ctrl[OP] === -1) return;
    const [s, e] = slice(ctrl[N], ctrl[THREADS], index);
    try {
      if (s < e) instance.exports[ops[ctrl[OP]]](...args.subarray(0, ctrl[NARGS]), s, e);
    } catch {
      Atomics.store(ctrl, FAILED, 1);
    }
    if (Atomics.sub(ctrl, PENDING, 1) === 1) Atomics.notify(ctrl, PENDING);
  }
}

if (port) port.once("message", start);
else globalThis.addEventListener("message", (e) => start(e.data), { once: true });
