/**
 * `gemma-edge bench --model PATH [--threads N] [--backend wasm|webgpu|auto] [--prompt-tokens 128] [--gen-tokens 64] [--json]`: load time, prefill
 * and decode tokens per second (greedy), and the process's peak RSS.
 */
import { parseArgs } from "node:util";
import { loadModel } from "@gemma-edge/gemma";
import type { Io } from "../io.js";
import { backendOptions, intOption, openModel } from "./model-file.js";

export async function bench(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      threads: { type: "string" },
      backend: { type: "string" },
      "prompt-tokens": { type: "string" },
      "gen-tokens": { type: "string" },
      json: { type: "boolean" },
    },
  });
  const promptTokens = intOption(values["prompt-tokens"], "prompt-tokens", 128, 1);
  const genTokens = intOption(values["gen-tokens"], "gen-tokens", 64, 1);
  const backend = await backendOptions(values.backend);
  const source = await openModel(values.model);
  let t = performance.now();
  const model = await loadModel(source, {
    ...backend,
    threads: intOption(values.threads, "threads", 1, 1),
    maxContext: promptTokens + genTokens + 1,
  });
  const load_s = (performance.now() - t) / 1000;
  await source.close?.();
  try {
    const promptIds = Array.from(
      { length: promptTokens },
      (_, i) => 1000 + ((i * 7919) % Math.max(1, model.info.vocabSize - 1000)),
    );
    // prefill: time a 1-token generation (the prompt's forward pass dominates it)
    t = performance.now();
    for await (const _ of model.generate({ promptIds, maxTokens: 1, temperature: 0, stopTokens: [] })) {
      // drain
    }
    const prefill_s = (performance.now() - t) / 1000;
    // decode: the cached prompt is reused, so this times genTokens decode steps
    t = performance.now();
    let n = 0;
    for await (const part of model.generate({ promptIds, maxTokens: genTokens, temperature: 0, stopTokens: [] })) {
      if (part.type === "finish") n = part.usage.completionTokens;
    }
    const decode_s = (performance.now() - t) / 1000;
    const report = {
      load_s: round(load_s),
      prefill_tok_s: round(promptTokens / prefill_s),
      decode_tok_s: round(n / decode_s),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      threads: model.info.threads,
      kernels: model.info.kernels,
    };
    if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
    else {
      io.stdout(
        `load ${report.load_s} s · prefill ${report.prefill_tok_s} tok/s · decode ${report.decode_tok_s} tok/s · peak RSS ${report.peak_rss_mb} MB (${report.kernels}, ${report.threads} thread(s))\n`,
      );
    }
  } finally {
    model.dispose();
  }
  return 0;
}

const round = (x: number) => Math.round(x * 100) / 100;
