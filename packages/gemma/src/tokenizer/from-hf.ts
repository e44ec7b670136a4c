/**
 * A `Tokenizer` from a Hugging Face `tokenizer.json` of the SentencePiece-BPE kind Gemma ships (model "BPE" with
 * `byte_fallback`, spaces replaced by `▁`, no pre-tokenizer). The merges become SentencePiece scores — a token's score
 * is minus the rank of the first merge that makes it — so merging the highest-scoring pair first, as llama.cpp does on
 * a GGUF, reproduces BPE's lowest-rank-first order. Token types follow what llama.cpp's converter writes: added
 * tokens marked special and control-looking tokens are control tokens, `<unk>` is unknown, `<0xXX>` are bytes, and
 * the other multi-character tokens no merge can make (`<table>`, `</code>`…) are user-defined.
 */
import { InvalidTokenizerError } from "./errors.js";
import { Tokenizer } from "./tokenizer.js";
import { byteOfToken, type TokenizerVocab, TokenType } from "./vocab.js";

/** The fields of `tokenizer_config.json` this loader reads (all optional). */
export interface HfTokenizerConfig {
  readonly bos_token?: string | { readonly content: string } | null;
  readonly eos_token?: string | { readonly content: string } | null;
  readonly unk_token?: string | { readonly content: string } | null;
  readonly pad_token?: string | { readonly content: string } | null;
  readonly add_bos_token?: boolean;
}

interface AddedToken {
  readonly id: number;
  readonly content: string;
  readonly special: boolean;
}

/** Control tokens of Gemma vocabularies, by their text (llama.cpp's converter: `does_token_look_special`). */
const LOOKS_CONTROL = /^(<(pad|eos|bos|mask|2mass|unused\d+|start_of_[a-z_]+|end_of_[a-z_]+)>|\[@BOS@\]|<\|.*\|>)$/;

/**
 * Builds a tokenizer from a parsed `tokenizer.json` (and optionally `tokenizer_config.json`).
 * @example
 * const tokenizer = tokenizerFromHfJson(JSON.parse(await readFile("tokenizer.json", "utf8")));
 * tokenizer.encode("Hello world"); // [4521, 2134]
 */
export function tokenizerFromHfJson(json: unknown, config: HfTokenizerConfig = {}): Tokenizer {
  return new Tokenizer(vocabFromHfJson(json, config));
}

/** The `TokenizerVocab` of a parsed `tokenizer.json`. */
export function vocabFromHfJson(json: unknown, config: HfTokenizerConfig = {}): TokenizerVocab {
  const root = record(json, "tokenizer.json");
  const model = record(root.model, "model");
  if (model.type !== "BPE") throw new InvalidTokenizerError(`model.type is ${String(model.type)}; expected "BPE"`);
  const vocabJson = record(model.vocab, "model.vocab");
  const added = addedTokens(root.added_tokens);
  let size = 0;
  for (const id of Object.values(vocabJson)) size = Math.max(size, checkId(id, "model.vocab") + 1);
  for (const t of added) size = Math.max(size, t.id + 1);
  // Ids are dense: more ids than entries would be a hole-filled table (and a huge allocation for a hostile file).
  if (size > Object.keys(vocabJson).length + added.length) {
    throw new InvalidTokenizerError(`token ids reach ${size - 1} but the file lists fewer tokens`);
  }
  const tokens: string[] = new Array(size).fill("");
  for (const [text, id] of Object.entries(vocabJson)) tokens[id as number] = text;
  for (const t of added) tokens[t.id] = t.content;
  const ids = new Map(tokens.map((t, i) => [t, i]));

  const scores = new Float32Array(size);
  const made = new Uint8Array(size);
  mergeList(model.merges).forEach(([a, b], rank) => {
    const id = ids.get(a + b);
    if (id !== undefined && made[id] === 0) {
      made[id] = 1;
      scores[id] = -rank;
    }
  });

  const unkText = tokenText(config.unk_token) ?? (typeof model.unk_token === "string" ? model.unk_token : undefined);
  const types = new Uint8Array(size).fill(TokenType.normal);
  tokens.forEach((text, id) => {
    if (byteOfToken(text) !== undefined) types[id] = TokenType.byte;
    else if (text === unkText) types[id] = TokenType.unknown;
    else if (LOOKS_CONTROL.test(text)) types[id] = TokenType.control;
    else if (made[id] === 0 && [...text].length > 1) types[id] = TokenType.userDefined;
  });
  for (const t of added) {
    if (t.content === unkText) types[t.id] = TokenType.unknown;
    else types[t.id] = t.special || LOOKS_CONTROL.test(t.content) ? TokenType.control : TokenType.userDefined;
  }
  // User-defined tokens match the raw text, where spaces are still spaces (llama.cpp's converter does the same).
  types.forEach((type, id) => {
    if (type === TokenType.userDefined) tokens[id] = (tokens[id] as string).replaceAll("\u2581", " ");
  });

  const idOf = (text: string | undefined) => (text === undefined ? undefined : ids.get(text));
  const bos = idOf(tokenText(config.bos_token) ?? postProcessorBos(root.post_processor) ?? "<bos>");
  const eos = idOf(tokenText(config.eos_token) ?? "<eos>");
  if (bos === undefined || eos === undefined) throw new InvalidTokenizerError("tokenizer.json has no BOS or EOS token");
  return {
    tokens,
    scores,
    types,
    bos,
    eos,
    endOfTurn: ids.get("<end_of_turn>"),
    unk: idOf(unkText),
    pad: idOf(tokenText(config.pad_token) ?? "<pad>"),
    addBos: config.add_bos_token ?? postProcessorBos(root.post_processor) !== undefined,
    addSpacePrefix: hasPrependNormalizer(root.normalizer),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidTokenizerError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function checkId(id: unknown, what: string): number {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
    throw new InvalidTokenizerError(`${what} holds an invalid token id ${String(id)}`);
  }
  return id;
}

function addedTokens(value: unknown): AddedToken[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidTokenizerError("added_tokens must be an array");
  return value.map((v, i) => {
    const t = record(v, `added_tokens[${i}]`);
    if (typeof t.content !== "string" || t.content.length === 0) {
      throw new InvalidTokenizerError(`added_tokens[${i}].content must be a non-empty string`);
    }
    return { id: checkId(t.id, `added_tokens[${i}]`), content: t.content, special: t.special === true };
  });
}

/** Merges as pairs, from either "a b" strings or ["a", "b"] arrays. */
function mergeList(value: unknown): Array<[string, string]> {
  if (!Array.isArray(value)) throw new InvalidTokenizerError("model.merges must be an array");
  return value.map((m, i) => {
    if (typeof m === "string") {
      const space = m.indexOf(" ");
      if (space > 0 && space === m.lastIndexOf(" ")) return [m.slice(0, space), m.slice(space + 1)];
    } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") {
      return [m[0], m[1]];
    }
    throw new InvalidTokenizerError(`model.merges[${i}] is not a pair of tokens`);
  });
}

function tokenText(v: HfTokenizerConfig["bos_token"]): string | undefined {
  if (typeof v === "string") return v;
  return v?.content;
}

/** The special token a TemplateProcessing post-processor puts before the text, if any. */
function postProcessorBos(pp: unknown): string | undefined {
  if (typeof pp !== "object" || pp === null) return undefined;
  const single = (pp as { single?: unknown }).single;
  if (!Array.isArray(single)) return undefined;
  const first = single[0] as { SpecialToken?: { id?: unknown } } | undefined;
  return typeof first?.SpecialToken?.id === "string" ? first.SpecialToken.id : undefined;
}

/** Whether the normalizer prepends `▁` (SentencePiece's dummy prefix; Llama has it, Gemma does not). */
function hasPrependNormalizer(n: unknown): boolean {
  if (typeof n !== "object" || n === null) return false;
  const node = n as { type?: unknown; normalizers?: unknown };
  if (node.type === "Prepend") return true;
  return Array.isArray(node.normalizers) && node.normalizers.some(hasPrependNormalizer);
}
