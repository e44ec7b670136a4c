/** Wrangler (esbuild) and workerd import `.wasm` files as compiled `WebAssembly.Module`s. */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
