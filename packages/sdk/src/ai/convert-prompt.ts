/**
 * The AI SDK's prompt (`LanguageModelV3Prompt`) as gemma-edge chat messages. Gemma text models read text turns only:
 * text parts are kept, reasoning and generated files in the assistant's history are dropped with a warning (they
 * change nothing the model could read), and what cannot be dropped without changing the question — files or images
 * in a user turn, tool calls and tool results — is an `UnsupportedFunctionalityError`, thrown before any request.
 */
import { type LanguageModelV3Prompt, type SharedV3Warning, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import type { ChatMessage } from "@gemma-edge/protocol";

/**
 * @example
 * const warnings: SharedV3Warning[] = [];
 * toChatMessages([{ role: "user", content: [{ type: "text", text: "Hi" }] }], warnings);
 * // [{ role: "user", content: "Hi" }]
 */
export function toChatMessages(prompt: LanguageModelV3Prompt, warnings: SharedV3Warning[]): ChatMessage[] {
  const dropped = new Set<string>();
  const messages = prompt.map((message): ChatMessage => {
    if (message.role === "system") return { role: "system", content: message.content };
    if (message.role === "user") {
      const texts = message.content.map((part) => {
        if (part.type === "text") return part.text;
        throw new UnsupportedFunctionalityError({
          functionality: `file parts (${part.mediaType}) in user messages`,
          message: `gemma-edge models read text only; a file part (${part.mediaType}) cannot be sent.`,
        });
      });
      const [only] = texts;
      return {
        role: "user",
        content: texts.length === 1 && only !== undefined ? only : texts.map((text) => ({ type: "text", text })),
      };
    }
    if (message.role === "assistant") {
      let text = "";
      for (const part of message.content) {
        if (part.type === "text") text += part.text;
        else if (part.type === "reasoning" || part.type === "file") dropped.add(part.type);
        else throw toolCalling();
      }
      return { role: "assistant", content: text };
    }
    throw toolCalling(); // a `tool` message
  });
  for (const type of dropped) {
    warnings.push({
      type: "other",
      message: `${type} parts of assistant messages were dropped: gemma-edge reads text.`,
    });
  }
  return messages;
}

const toolCalling = () =>
  new UnsupportedFunctionalityError({
    functionality: "tool calling",
    message: "gemma-edge does not support tool calling; the prompt holds tool calls or tool results.",
  });
