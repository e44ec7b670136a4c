/**
 * `GemmaEdgeChatLanguageModel` — the AI SDK's language model interface (spec v3) over the SDK's remote client and a
 * gemma-edge server's `POST /v1/chat/completions`. `doGenerate` sends one request; `doStream` reads the SSE chunks as
 * stream parts: `stream-start`, `response-metadata`, `text-start` / `text-delta` / `text-end`, `finish`. A generation
 * stopped by the output guard finishes with `content-filter` and the findings in `providerMetadata.gemmaEdge`; a
 * refused input is an `APICallError` (see `api-call-error.ts`); an aborted stream errors with the signal's reason.
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3ResponseMetadata,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type { ChatCompletion, ChatCompletionChunk, GemmaEdgeModeration, Usage } from "@gemma-edge/protocol";
import type { Client, RequestOptions } from "../client.js";
import type { Stream } from "../stream.js";
import { toAPICallError } from "./api-call-error.js";
import { type GemmaEdgeChatSettings, toChatRequest } from "./call-options.js";
import { toFinishReason, toProviderMetadata, toUsage } from "./response.js";

export interface GemmaEdgeChatConfig {
  /** `model.provider`, e.g. `gemma-edge.chat`. */
  provider: string;
  /** The chat route's URL (named in errors). */
  url(): string;
  /** A client for one call; `onResponse` sees each HTTP response (for its headers). */
  client(onResponse: (response: Response) => void): Client;
}

const TEXT_ID = "txt-0";

export class GemmaEdgeChatLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  /** None: the edge reads text only, so the AI SDK never needs to leave a URL for the server to fetch. */
  readonly supportedUrls = {};

  constructor(
    readonly modelId: string,
    private readonly settings: GemmaEdgeChatSettings,
    private readonly config: GemmaEdgeChatConfig,
  ) {}

  get provider(): string {
    return this.config.provider;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { body, warnings } = toChatRequest(this.modelId, options, this.settings);
    let headers: Record<string, string> = {};
    const client = this.config.client((response) => {
      headers = Object.fromEntries(response.headers);
    });
    let answer: ChatCompletion;
    try {
      answer = await client.chat.completions.create({ ...body, stream: false }, requestOptions(options));
    } catch (error) {
      throw toAPICallError(error, this.config.url(), body);
    }
    const choice = answer.choices[0];
    const text = choice?.message.content ?? "";
    const providerMetadata = toProviderMetadata(answer.gemma_edge);
    return {
      content: text === "" ? [] : [{ type: "text", text }],
      finishReason: toFinishReason(choice?.finish_reason),
      usage: toUsage(answer.usage),
      ...(providerMetadata ? { providerMetadata } : {}),
      request: { body },
      response: { ...responseMetadata(answer), headers, body: answer },
      warnings,
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { body: params, warnings } = toChatRequest(this.modelId, options, this.settings);
    const body = { ...params, stream: true as const, stream_options: { include_usage: true } };
    let source: Stream<ChatCompletionChunk>;
    try {
      source = await this.config.client(() => {}).chat.completions.create(body, requestOptions(options));
    } catch (error) {
      throw toAPICallError(error, this.config.url(), body);
    }
    return {
      stream: streamParts(source, warnings, options),
      request: { body },
      response: { headers: Object.fromEntries(source.response.headers) },
    };
  }
}

/**
 * The chunks as stream parts, one chunk per pull (a slow reader slows the server; cancelling aborts the request).
 * Every pull enqueues at least one part or ends the stream.
 */
function streamParts(
  source: Stream<ChatCompletionChunk>,
  warnings: SharedV3Warning[],
  { abortSignal, includeRawChunks }: LanguageModelV3CallOptions,
): ReadableStream<LanguageModelV3StreamPart> {
  const chunks = source[Symbol.asyncIterator]();
  let finishReason = toFinishReason(undefined);
  let usage: Usage | null | undefined;
  let moderation: GemmaEdgeModeration | undefined;
  let first = true;
  let textOpen = false;
  let cancelled = false;
  return new ReadableStream<LanguageModelV3StreamPart>({
    start(out) {
      out.enqueue({ type: "stream-start", warnings });
    },
    async pull(out) {
      for (let sent = false; !sent; ) {
        const send = (part: LanguageModelV3StreamPart) => {
          out.enqueue(part);
          sent = true;
        };
        let next: IteratorResult<ChatCompletionChunk>;
        try {
          next = await chunks.next();
        } catch (error) {
          if (cancelled) return;
          if (abortSignal?.aborted) return out.error(abortSignal.reason);
          send({ type: "error", error });
          finishReason = { unified: "error", raw: undefined };
          next = { done: true, value: undefined };
        }
        if (next.done) {
          // the client ends an aborted stream quietly; the AI SDK expects the abort, as from fetch
          if (abortSignal?.aborted) return out.error(abortSignal.reason);
          if (textOpen) send({ type: "text-end", id: TEXT_ID });
          const providerMetadata = toProviderMetadata(moderation);
          send({
            type: "finish",
            finishReason,
            usage: toUsage(usage),
            ...(providerMetadata ? { providerMetadata } : {}),
          });
          return out.close();
        }
        const chunk = next.value;
        if (includeRawChunks) send({ type: "raw", rawValue: chunk });
        if (first) send({ type: "response-metadata", ...responseMetadata(chunk) });
        first = false;
        if (chunk.usage) usage = chunk.usage;
        if (chunk.gemma_edge) moderation = chunk.gemma_edge;
        const choice = chunk.choices[0];
        const delta = choice?.delta.content;
        if (delta) {
          if (!textOpen) send({ type: "text-start", id: TEXT_ID });
          textOpen = true;
          send({ type: "text-delta", id: TEXT_ID, delta });
        }
        if (choice?.finish_reason) finishReason = toFinishReason(choice.finish_reason);
      }
    },
    async cancel() {
      cancelled = true;
      source.abort();
      await chunks.return?.(undefined);
    },
  });
}

function responseMetadata(answer: ChatCompletion | ChatCompletionChunk): LanguageModelV3ResponseMetadata {
  return { id: answer.id, modelId: answer.model, timestamp: new Date(answer.created * 1000) };
}

function requestOptions({ abortSignal, headers = {} }: LanguageModelV3CallOptions): RequestOptions {
  const defined = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { ...(abortSignal ? { signal: abortSignal } : {}), headers: Object.fromEntries(defined) };
}
