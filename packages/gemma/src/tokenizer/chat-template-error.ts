/** The error of the chat template: messages Gemma's template cannot render. */
const marker = Symbol.for("gemma-edge.gemma.chat-template-error");

/** Why the messages cannot be rendered. */
export type ChatTemplateProblem =
  | "empty"
  | "system-not-first"
  | "must-start-with-user"
  | "roles-must-alternate"
  | "unknown-role"
  | "generation-prompt-after-model";

/**
 * Messages Gemma's chat template refuses: no user turn, roles that do not alternate user/model, a system message
 * anywhere but first, an unknown role, or a conversation that ends with the model when a generation prompt is asked.
 */
export class ChatTemplateError extends Error {
  readonly [marker] = true;
  override readonly name = "ChatTemplateError";

  constructor(
    message: string,
    readonly problem: ChatTemplateProblem,
    /** Index (in the caller's messages) of the message at fault, where there is one. */
    readonly messageIndex: number | undefined,
  ) {
    super(message);
  }

  static isInstance(value: unknown): value is ChatTemplateError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
