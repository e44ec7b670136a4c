/** @gemma-edge/safety/testing — corpora for tests and benchmarks of code that uses the detectors. */
export * from "./corpus.js";
export * from "./find.js";
export * from "./pipeline.js";
