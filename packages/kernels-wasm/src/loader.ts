/**
 * Loads a kernel build: relaxed SIMD where the engine compiles it **and** it passes a numeric self-test against
 * the scalar reference (Node 20 validates relaxed SIMD but computes one relaxed op wrongly; we test the ops our
 * kernels use), else plain SIMD. Threads need shared memory (Node, or a cross-origin-isolated page) and a Worker.
 *
 * @example
 * const k = await loadKernels();             // Node: reads dist/wasm next to this package
 * const k = await loadKernels({ modules });  // workerd / bundlers: pass the imported .wasm modules
 */
import { KernelLoadError } from "./errors.js";
import { type BuildName, type KernelExports, WasmKernels } from "./kernels.js";
import { Arena, MAX_PAGES, STATIC_LIMIT, THREAD_SCRATCH_BYTES } from "./memory.js";
import { createPool } from "./pool.js";
import { selfTest } from "./self-test.js";

export type ModuleName = "simd" | "relaxed" | "simd-threads" | "relaxed-threads";

export interface LoadOptions {
  /** Which build to run: `auto` tries relaxed SIMD (with its self-test) and falls back to plain SIMD. @default "auto" */
  build?: "auto" | BuildName;
  /**
   * Threads to split ops across, this one included. 1 where there is no Worker or shared memory (workerd, a page
   * without cross-origin isolation) or where the calling thread may not block (a page's main thread: run the
   * engine in a Web Worker). @default 1
   */
  threads?: number;
  /** Precompiled modules or their bytes, by build name (workerd must pass modules: it cannot compile bytes). */
  modules?: Partial<Record<ModuleName, WebAssembly.Module | ArrayBuffer | Uint8Array>>;
  /**
   * In Node, turn on V8's `--experimental-wasm-relaxed-simd` when relaxed SIMD does not compile (Node 20).
   * @default true
   */
  enableNodeRelaxedFlag?: boolean;
}

export interface LoadReport {
  build: BuildName;
  threads: number;
  /** Why relaxed SIMD was not used, when it was not. */
  relaxedUnavailable?: string;
}

type NodeProcess = { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };
const nodeProcess = (globalThis as { process?: NodeProcess }).process;
const isNode = typeof nodeProcess?.versions?.node === "string";

/** Literal `new URL(…, import.meta.url)` per file, so bundlers (Vite, webpack) find and emit each one. */
const WASM_URLS: Record<ModuleName, () => URL> = {
  simd: () => new URL("../dist/wasm/kernels-simd.wasm", import.meta.url),
  relaxed: () => new URL("../dist/wasm/kernels-relaxed.wasm", import.meta.url),
  "simd-threads": () => new URL("../dist/wasm/kernels-simd-threads.wasm", import.meta.url),
  "relaxed-threads": () => new URL("../dist/wasm/kernels-relaxed-threads.wasm", import.meta.url),
};

async function bytesOf(name: ModuleName): Promise<Uint8Array> {
  const url = WASM_URLS[name]();
  if (isNode && url.protocol === "file:") {
    const fs = nodeProcess?.getBuiltinModule?.("node:fs/promises") as
      | { readFile(u: URL): Promise<Uint8Array> }
      | undefined;
    if (!fs) throw new KernelLoadError("this Node has no process.getBuiltinModule; pass `modules` to loadKernels");
    return fs.readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new KernelLoadError(`fetching ${url.href} failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function compile(name: ModuleName, options: LoadOptions): Promise<WebAssembly.Module> {
  const given = options.modules?.[name];
  if (given instanceof WebAssembly.Module) return given;
  const bytes = given ?? (await bytesOf(name));
  return WebAssembly.compile(bytes as BufferSource);
}

function enableRelaxedFlag(): boolean {
  const v8 = nodeProcess?.getBuiltinModule?.("node:v8") as { setFlagsFromString(flag: string): void } | undefined;
  if (!v8) return false;
  v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  return true;
}

/** Threads need shared memory, a way to start workers, and a calling thread allowed to block (not a page's main thread). */
function canThread(): boolean {
  if (typeof SharedArrayBuffer !== "function" || !(isNode || typeof Worker === "function")) return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export function newMemory(shared: boolean, initialBytes = STATIC_LIMIT): WebAssembly.Memory {
  const initial = Math.max(1, Math.ceil(initialBytes / 65536));
  return new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared });
}

async function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory, abort: () => {} } });
  return instance.exports as unknown as KernelExports;
}

/** Loads, self-tests and returns the kernels, with a report of what was chosen. */
export async function loadKernelsWithReport(
  options: LoadOptions = {},
): Promise<{ kernels: WasmKernels; report: LoadReport }> {
  const wanted = options.build ?? "auto";
  const threads = canThread() ? Math.max(1, Math.floor(options.threads ?? 1)) : 1;
  const suffix = threads > 1 ? "-threads" : "";
  let relaxedUnavailable: string | undefined;

  if (wanted !== "simd") {
    try {
      let module: WebAssembly.Module;
      try {
        module = await compile(`relaxed${suffix}` as ModuleName, options);
      } catch (first) {
        if (!(isNode && options.enableNodeRelaxedFlag !== false && enableRelaxedFlag())) throw first;
        module = await compile(`relaxed${suffix}` as ModuleName, options);
      }
      const kernels = await assemble(module, "relaxed", threads);
      const failure = selfTest(kernels);
      if (failure) throw new KernelLoadError(`relaxed SIMD failed its self-test: ${failure}`);
      return { kernels, report: { build: "relaxed", threads: kernels.threads } };
    } catch (error) {
      if (wanted === "relaxed") {
        throw KernelLoadError.isInstance(error)
          ? error
          : new KernelLoadError(`relaxed SIMD build unavailable: ${String(error)}`, { cause: error });
      }
      relaxedUnavailable = error instanceof Error ? error.message : String(error);
    }
  }
  let module: WebAssembly.Module;
  try {
    module = await compile(`simd${suffix}` as ModuleName, options);
  } catch (cause) {
    throw new KernelLoadError(`the SIMD kernels do not load here (WebAssembly SIMD is required): ${String(cause)}`, {
      cause,
    });
  }
  const kernels = await assemble(module, "simd", threads);
  const failure = selfTest(kernels);
  if (failure) throw new KernelLoadError(`SIMD kernels failed their self-test: ${failure}`);
  const report: LoadReport = { build: "simd", threads: kernels.threads };
  if (relaxedUnavailable !== undefined) report.relaxedUnavailable = relaxedUnavailable;
  return { kernels, report };
}

/** Loads, self-tests and returns the kernels. */
export async function loadKernels(options: LoadOptions = {}): Promise<WasmKernels> {
  return (await loadKernelsWithReport(options)).kernels;
}

async function assemble(module: WebAssembly.Module, build: BuildName, threads: number): Promise<WasmKernels> {
  const memory = newMemory(threads > 1);
  const exports = await instantiate(module, memory);
  if ((exports.build_relaxed() === 1) !== (build === "relaxed"))
    throw new KernelLoadError(`module is not the ${build} build`);
  // one private scratch region per thread: this one's first, then worker i's at i × THREAD_SCRATCH_BYTES
  const arena = new Arena(memory);
  const scratch = arena.alloc(threads * THREAD_SCRATCH_BYTES);
  exports.set_thread_scratch(scratch, THREAD_SCRATCH_BYTES);
  const runner = threads > 1 ? await createPool(module, memory, exports, threads, scratch) : undefined;
  return new WasmKernels(exports, memory, build, runner, arena);
}
