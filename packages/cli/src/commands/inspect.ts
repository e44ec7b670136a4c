/** `gemma-edge inspect --model PATH [--json]`: architecture, hyperparameters, tensor types and sizes. */
import { parseArgs } from "node:util";
import { gemmaConfigFromGguf, readGgufHeader } from "@gemma-edge/gemma";
import type { Io } from "../io.js";
import { openModel } from "./model-file.js";

export async function inspect(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { model: { type: "string" }, json: { type: "boolean" } } });
  const source = await openModel(values.model);
  try {
    const header = await readGgufHeader(source);
    const config = gemmaConfigFromGguf(header.metadata, header.tensors);
    const formats: Record<string, { tensors: number; bytes: number }> = {};
    let parameters = 0;
    for (const t of header.tensors) {
      const f = formats[t.format] ?? { tensors: 0, bytes: 0 };
      formats[t.format] = f;
      f.tensors++;
      f.bytes += t.byteLength;
      parameters += t.dims.reduce((a, b) => a * b, 1);
    }
    const { layers, ...hyper } = config;
    const report = {
      file: {
        bytes: header.fileSize,
        gguf_version: header.version,
        tensors: header.tensors.length,
        alignment: header.alignment,
      },
      parameters,
      formats,
      config: {
        ...hyper,
        sliding_layers: layers.map((l) => l.sliding),
        rope_theta_per_layer: layers.map((l) => l.ropeTheta),
      },
    };
    if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.stdout(
        `${config.architecture} · ${(parameters / 1e6).toFixed(1)} M parameters · ${(header.fileSize / 2 ** 20).toFixed(1)} MiB (GGUF v${header.version})\n`,
      );
      io.stdout(
        `hidden ${config.hiddenSize} · layers ${config.numLayers} · heads ${config.numHeads}/${config.numKvHeads} × ${config.headDim} · MLP ${config.intermediateSize} · vocab ${config.vocabSize} · context ${config.contextLength}\n`,
      );
      if (config.slidingWindow !== null)
        io.stdout(
          `sliding window ${config.slidingWindow} on ${layers.filter((l) => l.sliding).length} of ${layers.length} layers\n`,
        );
      for (const [format, f] of Object.entries(formats))
        io.stdout(
          `  ${format.padEnd(5)} ${String(f.tensors).padStart(4)} tensors  ${(f.bytes / 2 ** 20).toFixed(1)} MiB\n`,
        );
    }
  } finally {
    await source.close?.();
  }
  return 0;
}
