/**
 * The texts of OpenAI-shaped chat messages and their rewriting. A message's text is its string
 * content, or its `text` (and `refusal`) parts joined by "\n"; spans of input findings index that
 * text. Image, audio and file parts, tool-call arguments and names are not scanned.
 */
import type { ChatMessage } from "@gemma-edge/protocol";

/** One scanned piece of text: a whole string content, or one part of an array content. */
export interface TextSlot {
  readonly messageIndex: number;
  /** The part's index when the content is an array. */
  readonly partIndex?: number;
  /** Where the piece starts in the message's text. */
  readonly base: number;
  readonly text: string;
}

type Part = { type: string; text?: string; refusal?: string };

function partText(part: Part): string | undefined {
  if (part.type === "text" && typeof part.text === "string") return part.text;
  if (part.type === "refusal" && typeof part.refusal === "string") return part.refusal;
  return undefined;
}

/**
 * Every text piece of `messages`, in order.
 *
 * @example
 * textSlots([{ role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }]);
 * // [{ messageIndex: 0, partIndex: 0, base: 0, text: "a" }, { messageIndex: 0, partIndex: 1, base: 2, text: "b" }]
 */
export function textSlots(messages: readonly ChatMessage[]): TextSlot[] {
  const slots: TextSlot[] = [];
  messages.forEach((message, messageIndex) => {
    const content = message.content;
    if (typeof content === "string") slots.push({ messageIndex, base: 0, text: content });
    else if (Array.isArray(content)) {
      let base = 0;
      (content as readonly Part[]).forEach((part, partIndex) => {
        const text = partText(part);
        if (text === undefined) return;
        slots.push({ messageIndex, partIndex, base, text });
        base += text.length + 1;
      });
    }
  });
  return slots;
}

/** The text of each message (parts joined by "\n"), by message index. */
export function messageTexts(slots: readonly TextSlot[]): Map<number, string> {
  const texts = new Map<number, string>();
  for (const slot of slots) {
    const before = texts.get(slot.messageIndex);
    texts.set(slot.messageIndex, before === undefined ? slot.text : `${before}\n${slot.text}`);
  }
  return texts;
}

/** `messages` with each slot's text replaced by `texts[i]` (same order as `slots`); others untouched. */
export function withTexts(
  messages: readonly ChatMessage[],
  slots: readonly TextSlot[],
  texts: readonly string[],
): ChatMessage[] {
  const out = messages.map((m) => ({ ...m }) as ChatMessage);
  slots.forEach((slot, i) => {
    const text = texts[i] ?? slot.text;
    if (text === slot.text) return;
    const message = out[slot.messageIndex] as { content: unknown };
    if (slot.partIndex === undefined) {
      message.content = text;
      return;
    }
    const parts = [...(message.content as Part[])];
    const part = parts[slot.partIndex] as Part;
    parts[slot.partIndex] = part.type === "refusal" ? { ...part, refusal: text } : { ...part, text };
    message.content = parts;
  });
  return out;
}

/**
 * The text of the last `user` message (parts joined by "\n"), or undefined when there is none: the prompt an answer
 * to `messages` answers.
 *
 * @example
 * lastUserText([{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }]); // "Hi"
 */
export function lastUserText(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as ChatMessage;
    if (message.role === "user") return messageTexts(textSlots([message])).get(0) ?? "";
  }
  return undefined;
}
