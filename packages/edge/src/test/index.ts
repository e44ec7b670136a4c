/** Test helpers for apps built on @gemma-edge/edge. */
export { type ScriptedBackend, type ScriptOptions, scriptedBackend } from "./scripted-backend.js";
