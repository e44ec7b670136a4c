/**
 * `POST /v1/chat/completions`: request, response and stream chunk in the OpenAI shape, so the
 * official `openai` client works unchanged against the edge worker.
 *
 * Requests accept every field the OpenAI API documents, typed; fields nobody documents are
 * stripped, not rejected, so newer clients keep working. Everything optional may also be `null`.
 */
import { z } from "zod";
import { completionEnvelope, FinishReason, samplingFields, Usage } from "./common.js";
import { GemmaEdgeModeration } from "./findings.js";

// ── message content ─────────────────────────────────────────────────────────────────────────

export const TextPart = z.object({ type: z.literal("text"), text: z.string() });
export type TextPart = z.infer<typeof TextPart>;

export const ImagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({ url: z.string(), detail: z.enum(["auto", "low", "high"]).optional() }),
});
export const AudioPart = z.object({
  type: z.literal("input_audio"),
  input_audio: z.object({ data: z.string(), format: z.enum(["wav", "mp3"]) }),
});
export const FilePart = z.object({
  type: z.literal("file"),
  file: z.object({
    file_data: z.string().optional(),
    file_id: z.string().optional(),
    filename: z.string().optional(),
  }),
});
export const RefusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });

/** Parts a user message may hold. Gemma text models read only `text`; the edge says so for others. */
export const UserContentPart = z.discriminatedUnion("type", [TextPart, ImagePart, AudioPart, FilePart]);
export type UserContentPart = z.infer<typeof UserContentPart>;

const textContent = z.union([z.string(), z.array(TextPart)]);

// ── messages ────────────────────────────────────────────────────────────────────────────────

export const FunctionToolCall = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});
export const CustomToolCall = z.object({
  id: z.string(),
  type: z.literal("custom"),
  custom: z.object({ name: z.string(), input: z.string() }),
});
export const ToolCall = z.discriminatedUnion("type", [FunctionToolCall, CustomToolCall]);
export type ToolCall = z.infer<typeof ToolCall>;

export const SystemMessage = z.object({
  role: z.literal("system"),
  content: textContent,
  name: z.string().nullish(),
});
export const DeveloperMessage = z.object({
  role: z.literal("developer"),
  content: textContent,
  name: z.string().nullish(),
});
export const UserMessage = z.object({
  role: z.literal("user"),
  content: z.union([z.string(), z.array(UserContentPart)]),
  name: z.string().nullish(),
});
export const AssistantMessage = z.object({
  role: z.literal("assistant"),
  content: z.union([z.string(), z.array(z.discriminatedUnion("type", [TextPart, RefusalPart]))]).nullish(),
  refusal: z.string().nullish(),
  name: z.string().nullish(),
  tool_calls: z.array(ToolCall).nullish(),
  /** Deprecated by OpenAI in favour of `tool_calls`; still sent by older clients. */
  function_call: z.object({ name: z.string(), arguments: z.string() }).nullish(),
  audio: z.object({ id: z.string() }).nullish(),
});
export const ToolMessage = z.object({
  role: z.literal("tool"),
  content: textContent,
  tool_call_id: z.string(),
});
/** Deprecated by OpenAI in favour of `tool` messages; still sent by older clients. */
export const FunctionMessage = z.object({
  role: z.literal("function"),
  content: z.string().nullable(),
  name: z.string(),
});

export const ChatMessage = z.discriminatedUnion("role", [
  SystemMessage,
  DeveloperMessage,
  UserMessage,
  AssistantMessage,
  ToolMessage,
  FunctionMessage,
]);
export type ChatMessage = z.infer<typeof ChatMessage>;
export type ChatRole = ChatMessage["role"];

// ── request ─────────────────────────────────────────────────────────────────────────────────

const jsonObject = z.record(z.string(), z.unknown());

export const FunctionDefinition = z.object({
  name: z.string().min(1).max(64),
  description: z.string().optional(),
  parameters: jsonObject.optional(),
  strict: z.boolean().nullish(),
});

export const Tool = z.discriminatedUnion("type", [
  z.object({ type: z.literal("function"), function: FunctionDefinition }),
  z.object({ type: z.literal("custom"), custom: z.object({ name: z.string() }).loose() }),
]);
export type Tool = z.infer<typeof Tool>;

export const ToolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
  z.object({ type: z.literal("custom"), custom: z.object({ name: z.string() }) }),
  z.object({ type: z.literal("allowed_tools"), allowed_tools: jsonObject }),
]);

export const ResponseFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: jsonObject.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const ChatCompletionRequest = z.object({
  /** Model id as listed by `GET /v1/models`. */
  model: z.string().min(1),
  messages: z.array(ChatMessage).min(1),
  ...samplingFields,
  /** Upper bound on generated tokens (OpenAI's older name). */
  max_tokens: z.int().min(1).nullish(),
  /** Upper bound on generated tokens; wins over `max_tokens` when both are set. */
  max_completion_tokens: z.int().min(1).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
  response_format: ResponseFormat.nullish(),
  tools: z.array(Tool).nullish(),
  tool_choice: ToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  /** Deprecated function calling fields, accepted for older clients. */
  functions: z.array(FunctionDefinition).nullish(),
  function_call: z.union([z.enum(["none", "auto"]), z.object({ name: z.string() })]).nullish(),
  // Accepted so OpenAI clients are not rejected; gemma-edge does not act on them.
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  reasoning_effort: z.string().nullish(),
  verbosity: z.string().nullish(),
  modalities: z.array(z.string()).nullish(),
  audio: jsonObject.nullish(),
  prediction: jsonObject.nullish(),
  web_search_options: jsonObject.nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

// ── response ────────────────────────────────────────────────────────────────────────────────

export const TokenLogprob = z.object({
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(z.int()).nullable(),
  top_logprobs: z.array(z.object({ token: z.string(), logprob: z.number(), bytes: z.array(z.int()).nullable() })),
});
export const ChoiceLogprobs = z.object({
  content: z.array(TokenLogprob).nullable(),
  refusal: z.array(TokenLogprob).nullish(),
});

export const ChatCompletion = z.object({
  ...completionEnvelope,
  object: z.literal("chat.completion"),
  choices: z.array(
    z.object({
      index: z.int().min(0),
      message: z.object({
        role: z.literal("assistant"),
        content: z.string().nullable(),
        refusal: z.string().nullish(),
        tool_calls: z.array(ToolCall).nullish(),
      }),
      logprobs: ChoiceLogprobs.nullish(),
      finish_reason: FinishReason,
    }),
  ),
  usage: Usage.optional(),
  service_tier: z.string().nullish(),
  /** Policy findings and decision for this request (extension). */
  gemma_edge: GemmaEdgeModeration.optional(),
});
export type ChatCompletion = z.infer<typeof ChatCompletion>;

export const ChatCompletionChunk = z.object({
  ...completionEnvelope,
  object: z.literal("chat.completion.chunk"),
  choices: z.array(
    z.object({
      index: z.int().min(0),
      delta: z.object({
        role: z.literal("assistant").optional(),
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z
          .array(
            z.object({
              index: z.int().min(0),
              id: z.string().optional(),
              type: z.literal("function").optional(),
              function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
            }),
          )
          .optional(),
      }),
      logprobs: ChoiceLogprobs.nullish(),
      /** `null` until the choice's last chunk. */
      finish_reason: FinishReason.nullable(),
    }),
  ),
  /** Set only on the extra final chunk requested with `stream_options.include_usage`. */
  usage: Usage.nullish(),
  service_tier: z.string().nullish(),
  /** On the chunk that carries a `finish_reason` when a policy acted on the stream (extension). */
  gemma_edge: GemmaEdgeModeration.optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;
