import { type SharedV3Warning, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { toChatMessages } from "./convert-prompt.js";
import { toFinishReason, toUsage } from "./response.js";

describe("toChatMessages", () => {
  it("keeps system, user and assistant text; one text part is a string, several are text parts", () => {
    const warnings: SharedV3Warning[] = [];
    const messages = toChatMessages(
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "hi" }] },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "thinking" },
            { type: "text", text: "Hel" },
            { type: "text", text: "lo" },
          ],
        },
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
      warnings,
    );
    expect(messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hello" },
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
    ]);
    expect(warnings).toEqual([{ type: "other", message: expect.stringContaining("reasoning parts") }]);
  });

  it("throws UnsupportedFunctionalityError for user files, tool calls and tool messages", () => {
    const file = { type: "file", data: "AAAA", mediaType: "image/png" } as const;
    expect(() => toChatMessages([{ role: "user", content: [file] }], [])).toThrow(UnsupportedFunctionalityError);
    expect(() =>
      toChatMessages(
        [{ role: "assistant", content: [{ type: "tool-call", toolCallId: "1", toolName: "t", input: {} }] }],
        [],
      ),
    ).toThrow(/tool calling/);
    expect(() =>
      toChatMessages(
        [
          {
            role: "tool",
            content: [{ type: "tool-result", toolCallId: "1", toolName: "t", output: { type: "text", value: "x" } }],
          },
        ],
        [],
      ),
    ).toThrow(UnsupportedFunctionalityError);
  });
});

describe("finish reasons and usage", () => {
  it("maps every wire finish reason, keeping the raw one", () => {
    expect(
      ["stop", "length", "content_filter", "tool_calls", "function_call", "other", null].map(toFinishReason),
    ).toEqual([
      { unified: "stop", raw: "stop" },
      { unified: "length", raw: "length" },
      { unified: "content-filter", raw: "content_filter" },
      { unified: "tool-calls", raw: "tool_calls" },
      { unified: "tool-calls", raw: "function_call" },
      { unified: "other", raw: "other" },
      { unified: "other", raw: undefined },
    ]);
  });

  it("splits cached and reasoning tokens out, and leaves every count undefined without usage", () => {
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 4,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 1 },
    };
    expect(toUsage(usage)).toEqual({
      inputTokens: { total: 10, noCache: 7, cacheRead: 3, cacheWrite: undefined },
      outputTokens: { total: 4, text: 3, reasoning: 1 },
      raw: usage,
    });
    expect(toUsage(undefined)).toEqual({
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    });
  });
});
