/**
 * onnxruntime-web's wasm backend (`onnxruntime-web/wasm`: the plain SIMD build, no WebGPU/WebGL), one session
 * creation at a time. In Node and browsers ORT finds its `.wasm` beside its own module. workerd (Cloudflare Workers)
 * forbids compiling wasm from bytes at run time, so there the `.wasm` is imported as a module (a
 * `WebAssembly.Module`) and handed in as `wasmModule`.
 *
 * ORT 1.30 has no option for a compiled module: `env.wasm.wasmBinary` takes bytes, which emscripten passes to
 * `WebAssembly.instantiate`, and the config it gives emscripten cannot carry an `instantiateWasm` hook. So while a
 * session is created with `wasmModule`, `wasmBinary` is set to a marker and `WebAssembly.instantiate` is wrapped:
 * called with the marker's bytes it instantiates the module instead; any other call goes through unchanged. The wrap
 * and the marker are removed as soon as the creation settles, and creations are serialized so wraps never nest.
 */
import * as ort from "onnxruntime-web/wasm";
import { utf8Encode } from "../crypto/utf8.js";
import { OnnxModelError } from "./errors.js";

export { ort };

/** A compiled `WebAssembly.Module`, typed loosely: this package builds without the DOM lib that declares WebAssembly. */
export type CompiledWasmModule = object;

/** The part of the global `WebAssembly` this module uses. */
interface WasmApi {
  instantiate(source: unknown, imports?: object): Promise<unknown>;
  Instance: new (module: CompiledWasmModule, imports?: object) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Stands in for the `.wasm` bytes; starts with the wasm magic so nothing mistakes it for another format. */
const MARKER = utf8Encode("\0asm gemma-edge: instantiate the compiled ORT module");

function isMarker(source: unknown): boolean {
  if (!ArrayBuffer.isView(source) && !(source instanceof ArrayBuffer)) return false;
  const bytes = ArrayBuffer.isView(source)
    ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
    : new Uint8Array(source);
  return bytes.length === MARKER.length && bytes.every((b, i) => b === MARKER[i]);
}

async function withCompiledModule<T>(module: CompiledWasmModule, run: () => Promise<T>): Promise<T> {
  const original = wasm.instantiate;
  const binary = ort.env.wasm.wasmBinary;
  ort.env.wasm.wasmBinary = MARKER;
  wasm.instantiate = (source, imports) =>
    isMarker(source)
      ? Promise.resolve({ instance: new wasm.Instance(module, imports), module })
      : original.call(wasm, source, imports);
  try {
    return await run();
  } finally {
    wasm.instantiate = original;
    if (binary === undefined) delete ort.env.wasm.wasmBinary;
    else ort.env.wasm.wasmBinary = binary;
  }
}

let queue: Promise<unknown> = Promise.resolve();

export interface RuntimeOptions {
  /** ORT's `.wasm` (`onnxruntime-web/ort-wasm-simd-threaded.wasm`) compiled: required in workerd. */
  readonly wasmModule?: CompiledWasmModule;
  /** Passed to `InferenceSession.create` (graph optimization level, log level, …). */
  readonly sessionOptions?: ort.InferenceSession.SessionOptions;
}

/**
 * A session over `model`, after any creation in progress. ORT runs on one thread unless `ort.env.wasm.numThreads`
 * was set before the first session. Throws `OnnxModelError` when ORT cannot load the runtime or the model.
 */
export function createSession(model: Uint8Array, options: RuntimeOptions = {}): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads ??= 1;
  const create = () => ort.InferenceSession.create(model, { executionProviders: ["wasm"], ...options.sessionOptions });
  const session = queue.then(async () => {
    try {
      return await (options.wasmModule === undefined ? create() : withCompiledModule(options.wasmModule, create));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint =
        options.wasmModule === undefined && /no available backend/.test(message)
          ? " (where wasm cannot be fetched or compiled at run time, as in workerd, import ort-wasm-simd-threaded.wasm as a module and pass it as wasmModule)"
          : "";
      throw new OnnxModelError(`onnxruntime could not load the model: ${message}${hint}`, { cause: error });
    }
  });
  queue = session.catch(() => undefined);
  return session;
}
