import { describe, expect, it } from "vitest";
import { capturingClient } from "../test/openai-capture.js";
import { ModelList } from "./models.js";

describe("ModelList", () => {
  it("is what the openai client pages through", async () => {
    const list = ModelList.parse({
      object: "list",
      data: [
        {
          id: "gemma-2-2b-it",
          object: "model",
          created: 1_764_000_000,
          owned_by: "gemma-edge",
          gemma_edge: { backend: "local", architecture: "gemma2", context_length: 8192, quantization: "Q4_0" },
        },
        {
          id: "@cf/google/gemma-7b-it-lora",
          object: "model",
          created: 0,
          owned_by: "cloudflare",
          gemma_edge: { backend: "workers-ai" },
        },
      ],
    });
    const { client, requests } = capturingClient({ json: list });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["gemma-2-2b-it", "@cf/google/gemma-7b-it-lora"]);
    expect(requests[0]).toMatchObject({ method: "GET", url: "http://127.0.0.1:8787/v1/models" });
  });

  it("rejects an unknown backend", () => {
    const bad = {
      object: "list",
      data: [{ id: "m", object: "model", created: 0, owned_by: "x", gemma_edge: { backend: "gpu-farm" } }],
    };
    expect(ModelList.safeParse(bad).error?.issues[0]?.path).toEqual(["data", 0, "gemma_edge", "backend"]);
  });
});
