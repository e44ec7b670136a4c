import type { ChatMessage } from "@gemma-edge/protocol";
import { describe, expect, it } from "vitest";
import { lastUserText, messageTexts, textSlots, withTexts } from "./messages.js";

describe("messages", () => {
  const messages = [
    { role: "system", content: "sys" },
    {
      role: "user",
      content: [
        { type: "text", text: "a" },
        { type: "image_url", image_url: { url: "u" } },
        { type: "text", text: "bc" },
      ],
    },
    { role: "assistant", content: null, tool_calls: [] },
    { role: "assistant", content: [{ type: "refusal", refusal: "no" }] },
  ] as ChatMessage[];

  it("finds every text piece with its offset in the message text", () => {
    const slots = textSlots(messages);
    expect(slots).toEqual([
      { messageIndex: 0, base: 0, text: "sys" },
      { messageIndex: 1, partIndex: 0, base: 0, text: "a" },
      { messageIndex: 1, partIndex: 2, base: 2, text: "bc" },
      { messageIndex: 3, partIndex: 0, base: 0, text: "no" },
    ]);
    expect(messageTexts(slots).get(1)).toBe("a\nbc");
  });

  it("rewrites only changed pieces and never the input", () => {
    const slots = textSlots(messages);
    const out = withTexts(messages, slots, ["SYS", "a", "BC", "NO"]);
    expect(out[0]?.content).toBe("SYS");
    expect(out[1]?.content).toEqual([
      { type: "text", text: "a" },
      { type: "image_url", image_url: { url: "u" } },
      { type: "text", text: "BC" },
    ]);
    expect(out[3]?.content).toEqual([{ type: "refusal", refusal: "NO" }]);
    expect(out[2]).toEqual(messages[2]);
    expect(messages[0]?.content).toBe("sys");
  });

  it("finds the last user message's text", () => {
    expect(lastUserText(messages)).toBe("a\nbc");
    expect(lastUserText([...messages, { role: "user", content: "later" } as ChatMessage])).toBe("later");
    expect(lastUserText([messages[0] as ChatMessage])).toBeUndefined();
  });
});
