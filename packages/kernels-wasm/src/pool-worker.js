// A kernel thread (plain JS: it runs as-is in Node worker_threads and browser Web Workers). It instantiates the
// kernel module over the shared memory, then runs its slice of each op posted in the control block (see pool.ts).
const GENERATION = 0;
const PENDING = 1;
const OP = 2;
const N = 3;
const THREADS = 4;
const NARGS = 5;
const FAILED = 6;
const ARGS_BYTE_OFFSET = 64;

const port = globalThis.process?.getBuiltinModule?.("node:worker_threads")?.parentPort;
const post = (m) => (port ? port.postMessage(m) : globalThis.postMessage(m));

function slice(n, threads, index) {
  const per = Math.ceil(n / threads / 4) * 4;
  return [Math.min(n, index * per), Math.min(n, (index + 1) * per)];
}

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
