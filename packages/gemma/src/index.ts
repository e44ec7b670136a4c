/**
 * @gemma-edge/gemma — the Gemma model runtime. Built so far: the model-file layer — byte sources (bytes, URL; files
 * from `@gemma-edge/gemma/node`), the GGUF reader and writer, the safetensors reader, and `GemmaConfig` from GGUF
 * metadata or a Hugging Face config.json. Safe for browsers, workers and Node.
 */
export * from "./byte-source.js";
export * from "./config/from-gguf.js";
export * from "./config/from-hf.js";
export * from "./config/gemma-config.js";
export * from "./config/tensor-names.js";
export * from "./errors.js";
export * from "./gguf/index.js";
export * from "./safetensors/reader.js";
export * from "./safetensors/sharded.js";
export * from "./sources/url.js";
export * from "./tensor-stream.js";
export * from "./testing/safetensors-writer.js";
