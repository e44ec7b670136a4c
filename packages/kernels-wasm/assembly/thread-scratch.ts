// Scratch memory private to this instance. With threads, every worker instantiates the module over the same shared
// memory but keeps its own globals, so the loader gives each instance (the calling thread's and every worker's) its
// own region once, at start (src/loader.ts, src/pool-worker.js). Ops that need per-thread temporaries take them here
// instead of from a caller-provided buffer that all threads would share.

let base: usize = 0;
let size: i32 = 0;

/** Sets this instance's scratch region: `bytes` bytes at `p`. */
export function set_thread_scratch(p: usize, bytes: i32): void {
  base = p;
  size = bytes;
}

/** This instance's scratch, at least `bytes` long (traps when the loader gave less: the TS side sizes it). */
@inline
export function threadScratch(bytes: i32): usize {
  if (bytes > size) unreachable();
  return base;
}
