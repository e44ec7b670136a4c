/** Gemma's tokenizer (SentencePiece BPE with byte fallback, as llama.cpp runs it) and chat template. */

export {
  type ChatMessage,
  type ChatTemplateOptions,
  type ChatTurn,
  encodeGemmaChat,
  gemmaTurns,
  renderGemmaChat,
} from "./chat-template.js";
export { ChatTemplateError, type ChatTemplateProblem } from "./chat-template-error.js";
export { InvalidTokenizerError, TokenIdError, TokenizerError } from "./errors.js";
export { tokenizerFromGguf, vocabFromGguf } from "./from-gguf.js";
export { type HfTokenizerConfig, tokenizerFromHfJson, vocabFromHfJson } from "./from-hf.js";
export type { StreamDecoder } from "./stream-decoder.js";
export { vocabToGguf } from "./to-gguf.js";
export { type DecodeOptions, type EncodeOptions, Tokenizer } from "./tokenizer.js";
export { type TokenizerVocab, TokenType } from "./vocab.js";
