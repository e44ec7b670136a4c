/**
 * The worker entry wrangler bundles (`main` in wrangler.jsonc): the kernels' wasm imported as modules, as workerd
 * requires, handed to `createWorker`.
 */
import relaxed from "@gemma-edge/kernels-wasm/wasm/kernels-relaxed.wasm";
import simd from "@gemma-edge/kernels-wasm/wasm/kernels-simd.wasm";
import { createWorker } from "./worker.js";

export default createWorker({ kernelModules: { simd, relaxed } });
