// Times every kernel op a forward pass calls, by wrapping the kernels' methods (bench/profile.mjs, bench/threads.mjs).
// Matmuls and matvecs are keyed by weight shape. Only the outermost op of a nest is timed: WasmKernels.matmul of one
// token calls this.matvec, which would otherwise count twice.
const OPS = [
  "matmul",
  "matvec",
  "rmsnorm",
  "quantizeIfNeeded",
  "rope",
  "attention",
  "add",
  "geluGate",
  "copy",
  "toF16",
  "embed",
  "scale",
  "softcap",
];

/** Wraps `kernels`' ops; returns the Map of milliseconds by op that they add to (clear it between phases). */
export function timeOps(kernels) {
  const times = new Map();
  let depth = 0;
  for (const name of OPS) {
    const op = kernels[name].bind(kernels);
    kernels[name] = (...args) => {
      if (depth > 0) return op(...args);
      depth++;
      const start = performance.now();
      try {
        return op(...args);
      } finally {
        depth--;
        const w = name === "matmul" || name === "matvec" ? args[0] : undefined;
        const key = w ? `${name} ${w.rows}×${w.cols}${w.packed ? " packed" : ""}` : name;
        times.set(key, (times.get(key) ?? 0) + performance.now() - start);
      }
    };
  }
  return times;
}

/** The same 128-token prompt every bench script feeds. */
export const PROMPT = Array.from({ length: 128 }, (_, i) => 1000 + ((i * 7919) % 200000));
