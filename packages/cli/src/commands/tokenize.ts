/** `gemma-edge tokenize --model PATH --text TEXT [--bos] [--json]`: ids as llama.cpp gives them (special tokens parsed). */
import { parseArgs } from "node:util";
import { readGgufHeader, tokenizerFromGguf } from "@gemma-edge/gemma";
import { type Io, UsageError } from "../io.js";
import { openModel } from "./model-file.js";

export async function tokenize(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      text: { type: "string" },
      bos: { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  if (values.text === undefined) throw new UsageError("--text TEXT is required");
  const source = await openModel(values.model);
  try {
    const tokenizer = tokenizerFromGguf((await readGgufHeader(source)).metadata);
    const ids = tokenizer.encode(values.text, { addBos: values.bos === true, parseSpecial: true });
    if (values.json) io.stdout(`${JSON.stringify({ ids })}\n`);
    else io.stdout(`${ids.map((id) => `${id}\t${JSON.stringify(tokenizer.tokenToPiece(id))}`).join("\n")}\n`);
  } finally {
    await source.close?.();
  }
  return 0;
}
