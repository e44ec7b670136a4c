/** `GET /v1/models`, and the 404 for a model the backend does not serve. */
import type { ModelList } from "@gemma-edge/protocol";
import type { Handler } from "hono";
import type { Backend } from "../backends/types.js";
import { httpError } from "../errors.js";

export function listModels(backend: Backend): Handler {
  return async function listModels(c) {
    const body: ModelList = { object: "list", data: await backend.listModels() };
    return c.json(body);
  };
}

export async function requireModel(backend: Backend, model: string): Promise<void> {
  const models = await backend.listModels();
  if (!models.some((m) => m.id === model)) {
    throw httpError(404, {
      message: `The model \`${model.slice(0, 200)}\` does not exist on this server; GET /v1/models lists the ones that do.`,
      type: "not_found_error",
      code: "model_not_found",
      param: "model",
    });
  }
}
