/**
 * @gemma-edge/protocol — the wire format shared by the SDK and the edge worker: zod schemas and their
 * inferred types. Depends on zod only; safe for browsers, workers and Node.
 */
export * from "./chat.js";
export * from "./common.js";
export * from "./completions.js";
export * from "./errors.js";
export * from "./findings.js";
export * from "./json-schema.js";
export * from "./models.js";
export * from "./moderation.js";
