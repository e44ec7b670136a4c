/** `GET /v1/models` in the OpenAI shape, with an optional `gemma_edge` description of each model. */
import { z } from "zod";

export const Model = z.object({
  id: z.string(),
  object: z.literal("model"),
  /** Unix time in seconds. */
  created: z.int(),
  owned_by: z.string(),
  gemma_edge: z
    .object({
      /** Which backend serves it: the local engine, Workers AI or an OpenAI-compatible upstream. */
      backend: z.enum(["local", "workers-ai", "openai-compatible"]),
      architecture: z.string().optional(),
      context_length: z.int().min(1).optional(),
      quantization: z.string().optional(),
    })
    .optional(),
});
export type Model = z.infer<typeof Model>;

export const ModelList = z.object({ object: z.literal("list"), data: z.array(Model) });
export type ModelList = z.infer<typeof ModelList>;
