/**
 * Gemma's chat template (the `chat_template` of Gemma's tokenizer_config.json; llama.cpp's "gemma" template):
 *
 *     <bos><start_of_turn>user\n{content}<end_of_turn>\n<start_of_turn>model\n{content}<end_of_turn>\n…<start_of_turn>model\n
 *
 * Roles alternate user / model, starting with user; `assistant` is written `model`; contents are trimmed. Gemma has
 * no system role: a leading system message is folded into the first user turn as `{system}\n\n{user}` (what Gemma 3's
 * template and llama.cpp do). Anything else is a `ChatTemplateError`.
 */
import { ChatTemplateError } from "./chat-template-error.js";
import { InvalidTokenizerError } from "./errors.js";
import type { Tokenizer } from "./tokenizer.js";

export interface ChatMessage {
  /** `system` (first only), `user`, `assistant` or its Gemma name `model`. */
  readonly role: string;
  readonly content: string;
}

export interface ChatTemplateOptions {
  /** End with `<start_of_turn>model\n` so the model writes the next turn. @default true */
  readonly addGenerationPrompt?: boolean;
  /** Start with `<bos>`. @default true */
  readonly bos?: boolean;
}

export interface ChatTurn {
  readonly role: "user" | "model";
  readonly content: string;
}

/**
 * The turns Gemma sees: the system message folded in, roles renamed, contents trimmed, alternation checked.
 * @example gemmaTurns([{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }])
 * // [{ role: "user", content: "Be brief.\n\nHi" }]
 */
export function gemmaTurns(
  messages: readonly ChatMessage[],
  { addGenerationPrompt = true }: ChatTemplateOptions = {},
): ChatTurn[] {
  if (messages.length === 0) throw new ChatTemplateError("there are no messages", "empty", undefined);
  let system: string | undefined;
  const turns: ChatTurn[] = [];
  messages.forEach((m, i) => {
    if (m.role === "system") {
      if (i !== 0) throw new ChatTemplateError(`message ${i}: a system message must come first`, "system-not-first", i);
      system = m.content.trim();
      return;
    }
    const role = m.role === "user" ? "user" : m.role === "assistant" || m.role === "model" ? "model" : undefined;
    if (role === undefined) throw new ChatTemplateError(`message ${i} has unknown role "${m.role}"`, "unknown-role", i);
    const expected = turns.length % 2 === 0 ? "user" : "model";
    if (role !== expected) {
      const problem = turns.length === 0 ? "must-start-with-user" : "roles-must-alternate";
      throw new ChatTemplateError(
        `message ${i} is from ${m.role} but Gemma expects ${expected} there: roles must alternate user/model, starting with user`,
        problem,
        i,
      );
    }
    const content = m.content.trim();
    turns.push({ role, content: turns.length === 0 && system !== undefined ? `${system}\n\n${content}` : content });
  });
  if (turns.length === 0) {
    throw new ChatTemplateError("a system message needs a user message after it", "must-start-with-user", undefined);
  }
  if (addGenerationPrompt && turns[turns.length - 1]?.role === "model") {
    throw new ChatTemplateError(
      "the conversation ends with the model; a generation prompt would start a second model turn",
      "generation-prompt-after-model",
      messages.length - 1,
    );
  }
  return turns;
}

/**
 * The prompt text of `messages` in Gemma's template.
 * @example renderGemmaChat([{ role: "user", content: "Hi" }])
 * // "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n"
 */
export function renderGemmaChat(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
  const { addGenerationPrompt = true, bos = true } = options;
  let out = bos ? "<bos>" : "";
  for (const t of gemmaTurns(messages, options)) out += `<start_of_turn>${t.role}\n${t.content}<end_of_turn>\n`;
  return addGenerationPrompt ? `${out}<start_of_turn>model\n` : out;
}

/**
 * The prompt ids of `messages`. The template's markers are token ids; the contents are encoded with special-token
 * parsing off, so a message that contains the text `<end_of_turn>` cannot close its turn early.
 * @example encodeGemmaChat(tokenizer, [{ role: "user", content: "Hi" }]) // [2, 106, 1645, 108, 2151, 107, 108, 106, 2516, 108]
 */
export function encodeGemmaChat(
  tokenizer: Tokenizer,
  messages: readonly ChatMessage[],
  options: ChatTemplateOptions = {},
): number[] {
  const { addGenerationPrompt = true, bos = true } = options;
  const startOfTurn = tokenizer.tokenId("<start_of_turn>");
  const endOfTurn = tokenizer.endOfTurn;
  if (startOfTurn === undefined || endOfTurn === undefined) {
    throw new InvalidTokenizerError("the vocabulary has no <start_of_turn> / <end_of_turn> tokens");
  }
  const plain = (text: string) => tokenizer.encode(text, { parseSpecial: false });
  const out = bos ? [tokenizer.bos] : [];
  for (const t of gemmaTurns(messages, options)) {
    out.push(startOfTurn, ...plain(`${t.role}\n${t.content}`), endOfTurn, ...plain("\n"));
  }
  if (addGenerationPrompt) out.push(startOfTurn, ...plain("model\n"));
  return out;
}
