/** The detector evaluation: a labeled multilingual corpus, the engines compared, and the scorer. Run by `bench/eval.mjs`. */
export * from "./corpus.js";
export * from "./engines.js";
export * from "./locales.js";
export * from "./score.js";
export * from "./values.js";
