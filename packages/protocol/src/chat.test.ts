import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { capturingClient } from "../test/openai-capture.js";
import { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "./chat.js";
import { invalidRequestBody } from "./errors.js";
import type { GemmaEdgeModeration } from "./findings.js";

const completion: ChatCompletion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1_764_000_000,
  model: "gemma-2-2b-it",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
};

const moderation: GemmaEdgeModeration = {
  policy_id: "default",
  mode: "enforce",
  decision: "block",
  findings: [
    {
      kind: "category",
      stage: "output_stream",
      category: "dangerous",
      score: 0.93,
      threshold: 0.8,
      action: "block",
      classifier: "lexical",
      span: { start: 0, end: 42 },
    },
    {
      kind: "entity",
      stage: "output_stream",
      entity: "EMAIL",
      span: { start: 12, end: 29 },
      score: 1,
      action: "redact",
    },
  ],
};

function chunk(
  delta: ChatCompletionChunk["choices"][number]["delta"],
  finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null,
) {
  return ChatCompletionChunk.parse({
    id: "chatcmpl-2",
    object: "chat.completion.chunk",
    created: 1_764_000_000,
    model: "gemma-2-2b-it",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
}

describe("ChatCompletionRequest accepts what the official openai client sends", () => {
  it("non-streaming, with every sampling field set", async () => {
    const { client, requests } = capturingClient({ json: completion });
    const params: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: "gemma-2-2b-it",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in English." }] },
        { role: "user", content: "Hi there", name: "alice" },
      ],
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 64,
      max_completion_tokens: 64,
      n: 1,
      seed: 42,
      stop: ["\n\n", "<end_of_turn>"],
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      logit_bias: { "1234": -100 },
      logprobs: true,
      top_logprobs: 3,
      user: "user-1",
      metadata: { app: "test" },
      store: false,
      service_tier: "auto",
      reasoning_effort: "low",
      parallel_tool_calls: false,
      prompt_cache_key: "k",
      safety_identifier: "s",
    };
    const answer = await client.chat.completions.create(params);
    expect(answer.choices[0]?.message.content).toBe("Hello!");
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe("http://127.0.0.1:8787/v1/chat/completions");
    expect(requests[0]?.headers.authorization).toBe("Bearer sk-test");
    const parsed = ChatCompletionRequest.safeParse(requests[0]?.body);
    expect(parsed.error).toBeUndefined();
    // Nothing the client sent is lost: every field is known to the schema.
    expect(parsed.data).toEqual(requests[0]?.body);
  });

  it("streaming, with stream_options", async () => {
    const { client, requests } = capturingClient({ events: [chunk({ role: "assistant", content: "" }, null)] });
    const stream = await client.chat.completions.create({
      model: "gemma-2-2b-it",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of stream) {
      // drain
    }
    const parsed = ChatCompletionRequest.parse(requests[0]?.body);
    expect(parsed.stream).toBe(true);
    expect(parsed.stream_options?.include_usage).toBe(true);
  });

  it("tools, tool results, multimodal parts and structured output", async () => {
    const { client, requests } = capturingClient({ json: completion });
    await client.chat.completions.create({
      model: "gemma-2-2b-it",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image, and what's the weather?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: '{"temp":3}' },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "weather",
            description: "Current weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
            strict: true,
          },
        },
      ],
      tool_choice: { type: "function", function: { name: "weather" } },
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object" }, strict: true },
      },
    });
    const parsed = ChatCompletionRequest.safeParse(requests[0]?.body);
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toEqual(requests[0]?.body);
  });
});

describe("ChatCompletionRequest from other clients", () => {
  it("accepts explicit nulls for unset fields, as LangChain and LiteLLM send them", () => {
    const body = {
      model: "gemma",
      messages: [{ role: "user", content: "hi", name: null }],
      temperature: null,
      top_p: null,
      n: null,
      stop: null,
      max_tokens: null,
      stream: false,
      stream_options: null,
      tools: null,
      tool_choice: null,
      response_format: null,
      seed: null,
      user: null,
    };
    expect(ChatCompletionRequest.safeParse(body).success).toBe(true);
  });

  it("strips fields it does not know instead of rejecting them", () => {
    const body = {
      model: "gemma",
      messages: [{ role: "user", content: "hi" }],
      future_field: { x: 1 },
      extra_body: {},
    };
    const parsed = ChatCompletionRequest.parse(body);
    expect(parsed).not.toHaveProperty("future_field");
    expect(parsed).not.toHaveProperty("extra_body");
  });

  it("accepts the llama.cpp / vLLM sampling extensions", () => {
    const parsed = ChatCompletionRequest.parse({
      model: "gemma",
      messages: [{ role: "user", content: "hi" }],
      top_k: 40,
      min_p: 0.05,
      repetition_penalty: 1.1,
    });
    expect(parsed).toMatchObject({ top_k: 40, min_p: 0.05, repetition_penalty: 1.1 });
  });

  it("accepts the deprecated function-calling fields older clients send", () => {
    const body = {
      model: "gemma",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: null, function_call: { name: "f", arguments: "{}" } },
        { role: "function", name: "f", content: "42" },
      ],
      functions: [{ name: "f", parameters: { type: "object" } }],
      function_call: "auto",
    };
    expect(ChatCompletionRequest.safeParse(body).error).toBeUndefined();
  });
});

describe("ChatCompletionRequest rejects malformed bodies with the path of each issue", () => {
  const user = { role: "user", content: "hi" };
  const cases: Array<[string, unknown, string | null, RegExp]> = [
    ["not an object", "hello", null, /expected object/],
    ["JSON null", null, null, /expected object/],
    ["missing model", { messages: [user] }, "model", /expected string/],
    ["empty model", { model: "", messages: [user] }, "model", /too small/i],
    ["no messages", { model: "g", messages: [] }, "messages", />=1/],
    ["unknown role", { model: "g", messages: [{ role: "robot", content: "x" }] }, "messages[0].role", /'user'/],
    [
      "content of a wrong type",
      { model: "g", messages: [{ role: "user", content: 5 }] },
      "messages[0].content",
      /expected string or array/,
    ],
    [
      "unknown content part",
      { model: "g", messages: [{ role: "user", content: [{ type: "video", url: "x" }] }] },
      "messages[0].content[0].type",
      /'text'/,
    ],
    [
      "text part without text",
      { model: "g", messages: [{ role: "user", content: [{ type: "text" }] }] },
      "messages[0].content[0].text",
      /expected string/,
    ],
    [
      "tool message without its call id",
      { model: "g", messages: [{ role: "tool", content: "x" }] },
      "messages[0].tool_call_id",
      /expected string/,
    ],
    ["temperature out of range", { model: "g", messages: [user], temperature: 2.5 }, "temperature", /<=2/],
    ["temperature as a string", { model: "g", messages: [user], temperature: "0.5" }, "temperature", /expected number/],
    ["fractional max_tokens", { model: "g", messages: [user], max_tokens: 1.5 }, "max_tokens", /int/],
    ["zero max_tokens", { model: "g", messages: [user], max_tokens: 0 }, "max_tokens", />=1/],
    ["five stop sequences", { model: "g", messages: [user], stop: ["a", "b", "c", "d", "e"] }, "stop", /<=4/],
    [
      "logit_bias with a non-numeric key",
      { model: "g", messages: [user], logit_bias: { abc: 1 } },
      "logit_bias.abc",
      /.+/,
    ],
    ["stream as a string", { model: "g", messages: [user], stream: "yes" }, "stream", /expected boolean/],
    ["top_logprobs above 20", { model: "g", messages: [user], top_logprobs: 21 }, "top_logprobs", /<=20/],
  ];
  it.each(cases)("%s", (_name, body, param, message) => {
    const result = ChatCompletionRequest.safeParse(body);
    expect(result.success).toBe(false);
    if (result.success) return;
    const error = invalidRequestBody(result.error).error;
    expect(error.param).toBe(param);
    expect(error.issues?.[0]?.message).toMatch(message);
    expect(error.message).toContain(error.issues?.[0]?.message ?? "?");
  });

  it("reports every issue, not only the first", () => {
    const result = ChatCompletionRequest.safeParse({ messages: [{ role: "user" }], temperature: -1 });
    const params = invalidRequestBody(result.error ?? expect.fail("should fail")).error.issues?.map((i) => i.param);
    expect(params).toEqual(expect.arrayContaining(["model", "messages[0].content", "temperature"]));
  });
});

describe("hostile request bodies", () => {
  it("does not let a __proto__ key reach the parsed object's prototype", () => {
    const body = JSON.parse('{"model":"g","messages":[{"role":"user","content":"hi"}],"__proto__":{"polluted":true}}');
    const parsed = ChatCompletionRequest.parse(body) as Record<string, unknown>;
    expect(parsed.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it("validates a 4 MB message and 10,000 messages without trouble", () => {
    const big = "x".repeat(4 * 1024 * 1024);
    expect(
      ChatCompletionRequest.parse({ model: "g", messages: [{ role: "user", content: big }] }).messages[0]?.content,
    ).toHaveLength(big.length);
    const many = Array.from({ length: 10_000 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` }));
    expect(ChatCompletionRequest.parse({ model: "g", messages: many }).messages).toHaveLength(10_000);
  });

  it("keeps deeply nested tool parameters opaque instead of recursing into them", () => {
    let deep: unknown = {};
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    const body = {
      model: "g",
      messages: [{ role: "user", content: "x" }],
      tools: [{ type: "function", function: { name: "f", parameters: deep } }],
    };
    expect(ChatCompletionRequest.safeParse(body).success).toBe(true);
  });
});

describe("responses and stream chunks are what the openai client reads", () => {
  it("a blocked completion keeps finish_reason content_filter and the findings", async () => {
    const blocked = ChatCompletion.parse({
      ...completion,
      choices: [
        { index: 0, message: { role: "assistant", content: "" }, logprobs: null, finish_reason: "content_filter" },
      ],
      gemma_edge: moderation,
    });
    const { client } = capturingClient({ json: blocked });
    const answer = await client.chat.completions.create({ model: "g", messages: [{ role: "user", content: "x" }] });
    expect(answer.choices[0]?.finish_reason).toBe("content_filter");
    expect(ChatCompletion.parse(answer).gemma_edge).toEqual(moderation);
  });

  it("a stream stopped by a policy ends with content_filter, findings and usage", async () => {
    const usageChunk = ChatCompletionChunk.parse({
      id: "chatcmpl-2",
      object: "chat.completion.chunk",
      created: 1_764_000_000,
      model: "gemma-2-2b-it",
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
    const events = [
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Sure, " }),
      chunk({ content: "here" }),
      { ...chunk({}, "content_filter"), gemma_edge: moderation },
      usageChunk,
    ];
    const { client } = capturingClient({ events });
    const stream = await client.chat.completions.create({
      model: "gemma-2-2b-it",
      messages: [{ role: "user", content: "x" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const seen: OpenAI.ChatCompletionChunk[] = [];
    for await (const part of stream) {
      seen.push(part);
      text += part.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("Sure, here");
    const last = seen.at(-2);
    expect(last?.choices[0]?.finish_reason).toBe("content_filter");
    expect(ChatCompletionChunk.parse(last).gemma_edge?.findings).toHaveLength(2);
    expect(seen.at(-1)?.usage?.total_tokens).toBe(7);
  });

  it("rejects a chunk whose finding has a span that ends before it starts", () => {
    const bad = {
      ...chunk({}, "content_filter"),
      gemma_edge: { ...moderation, findings: [{ ...moderation.findings[1], span: { start: 5, end: 2 } }] },
    };
    const result = ChatCompletionChunk.safeParse(bad);
    expect(result.error?.issues[0]?.path).toEqual(["gemma_edge", "findings", 0, "span", "end"]);
  });
});
