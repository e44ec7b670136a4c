/**
 * `gemma-edge generate --model PATH (--prompt TEXT | --prompt-ids 2,651,… | --chat TEXT) [--max-tokens N]
 * [--temperature T] [--top-k K] [--top-p P] [--seed S] [--threads N] [--backend wasm|webgpu|auto] [--json]`.
 * Streams text to stdout, or prints one JSON object with the generated ids, text, finish reason and usage.
 */
import { parseArgs } from "node:util";
import { type GenerateRequest, loadModel } from "@gemma-edge/gemma";
import { type Io, progressBar, UsageError } from "../io.js";
import { backendOptions, intOption, numberOption, openModel } from "./model-file.js";

export async function generate(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      prompt: { type: "string" },
      "prompt-ids": { type: "string" },
      chat: { type: "string" },
      "max-tokens": { type: "string" },
      temperature: { type: "string" },
      "top-k": { type: "string" },
      "top-p": { type: "string" },
      seed: { type: "string" },
      threads: { type: "string" },
      backend: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const inputs = [values.prompt, values["prompt-ids"], values.chat].filter((v) => v !== undefined);
  if (inputs.length !== 1) throw new UsageError("give exactly one of --prompt TEXT, --prompt-ids IDS, --chat TEXT");
  let promptIds: number[] | undefined;
  if (values["prompt-ids"] !== undefined) {
    promptIds = values["prompt-ids"].split(",").map((s) => Number(s.trim()));
    if (promptIds.some((id) => !Number.isInteger(id) || id < 0))
      throw new UsageError("--prompt-ids must be comma-separated token ids");
  }
  const backend = await backendOptions(values.backend);
  const source = await openModel(values.model);
  const model = await loadModel(source, {
    ...backend,
    threads: intOption(values.threads, "threads", 1, 1),
    onProgress: progressBar(io),
  });
  await source.close?.();
  try {
    if (promptIds?.some((id) => id >= model.info.vocabSize))
      throw new UsageError(`token ids must be below ${model.info.vocabSize}`);
    const request: GenerateRequest = {
      ...(promptIds
        ? { promptIds }
        : values.chat !== undefined
          ? { messages: [{ role: "user", content: values.chat }] }
          : { prompt: values.prompt ?? "" }),
      maxTokens: intOption(values["max-tokens"], "max-tokens", 128, 1),
      temperature: numberOption(values.temperature, "temperature") ?? 0,
      ...(values["top-k"] ? { topK: intOption(values["top-k"], "top-k", 0) } : {}),
      ...(values["top-p"] ? { topP: numberOption(values["top-p"], "top-p") ?? 1 } : {}),
      ...(values.seed ? { seed: intOption(values.seed, "seed", 0) } : {}),
    };
    const tokens: number[] = [];
    let text = "";
    let finish:
      | { reason: string; usage: { promptTokens: number; completionTokens: number; cachedTokens: number } }
      | undefined;
    for await (const part of model.generate(request)) {
      if (part.type === "text-delta") {
        tokens.push(...part.tokens);
        text += part.text;
        if (!values.json) io.stdout(part.text);
      } else finish = part;
    }
    if (values.json) {
      const usage = finish
        ? {
            prompt_tokens: finish.usage.promptTokens,
            completion_tokens: finish.usage.completionTokens,
            total_tokens: finish.usage.promptTokens + finish.usage.completionTokens,
          }
        : undefined;
      io.stdout(`${JSON.stringify({ tokens, text, finish_reason: finish?.reason ?? "stop", usage })}\n`);
    } else io.stdout("\n");
  } finally {
    model.dispose();
  }
  return 0;
}
