/**
 * A Hugging Face `tokenizer.json` read in TypeScript: added tokens → normalizer → pre-tokenizer → model →
 * post-processor, for one sequence, truncated to a token budget. Implements what text-classification exports use:
 * WordPiece (BERT/DistilBERT: `BertNormalizer`, `BertPreTokenizer`, `TemplateProcessing`/`BertProcessing`) and BPE
 * (RoBERTa's byte-level pipeline with `RobertaProcessing`; SentencePiece-style BPE with byte fallback). Any other
 * component is an `UnsupportedTokenizerError` naming it. No Node API; never throws on any string.
 */
import { OnnxConfigError } from "../errors.js";
import { type AddedToken, createSplitter, parseAddedTokens } from "./added-tokens.js";
import { createModel } from "./models.js";
import { createNormalizer } from "./normalizers.js";
import { createPostProcessor, type Encoding } from "./post-processors.js";
import { createPreTokenizer } from "./pre-tokenizers.js";

export type { Encoding } from "./post-processors.js";

export interface EncodeOptions {
  /**
   * The most ids, special tokens included: the sequence is cut at the end (the tokenizers' `longest_first`,
   * `right`), and words after the cut are never tokenized. @default unlimited
   */
  readonly maxTokens?: number;
}

export interface WindowOptions {
  /** The most ids of one window, special tokens included. */
  readonly maxTokens: number;
  /** The most windows; text past the last one is not tokenized. */
  readonly maxWindows: number;
}

export interface TextTokenizer {
  /** Ids and token type ids of `text` as one sequence, special tokens added. */
  encode(text: string, options?: EncodeOptions): Encoding;
  /**
   * `text` as consecutive windows of at most `maxTokens` ids, each with its own special tokens: the first window is
   * `encode(text, { maxTokens })`. At least one window, even for text with no tokens.
   */
  windows(text: string, options: WindowOptions): Encoding[];
  /** The id of a token (vocabulary or added) by its text. */
  tokenId(token: string): number | undefined;
  /** How many ids the post-processor adds around a sequence. */
  readonly specialTokens: number;
}

/**
 * The tokenizer of a parsed `tokenizer.json`. Throws `UnsupportedTokenizerError` for a component it does not
 * implement and `OnnxConfigError` for a malformed file.
 *
 * @example
 * const tokenizer = createTokenizer(JSON.parse(await readFile("tokenizer.json", "utf8")));
 * tokenizer.encode("Hello, world!").ids; // [101, 7592, 1010, 2088, 999, 102] with bert-base-uncased
 */
export function createTokenizer(json: unknown): TextTokenizer {
  if (typeof json !== "object" || json === null || !("model" in json)) {
    throw new OnnxConfigError("tokenizer.json must be an object with a model");
  }
  const file = json as Record<string, unknown>;
  const model = createModel(file.model);
  const normalize = createNormalizer(file.normalizer);
  const preTokenize = createPreTokenizer(file.pre_tokenizer);
  const postProcess = createPostProcessor(file.post_processor);
  const added = parseAddedTokens(file.added_tokens);
  const raw = createSplitter(added.filter((t) => !t.normalized));
  // Tokens matched after normalization are matched by their normalized content.
  const normalizedSplit = createSplitter(
    added
      .filter((t) => t.normalized)
      .map((t) => ({ ...t, content: normalize(t.content) }))
      .filter((t) => t.content !== ""),
  );
  const addedIds = new Map<string, number>(added.map((t: AddedToken) => [t.content, t.id]));
  const specialTokens = postProcess({ ids: [], typeIds: [] }).ids.length;

  /** The ids of `text` without special tokens, stopping once `limit` ids are reached. */
  const sequence = (text: string, limit: number): number[] => {
    const ids: number[] = [];
    let atStart = true;
    outer: for (const piece of raw(text)) {
      if ("id" in piece) {
        ids.push(piece.id);
        atStart = false;
        if (ids.length >= limit) break;
        continue;
      }
      for (const inner of normalizedSplit(normalize(piece.text))) {
        if ("id" in inner) ids.push(inner.id);
        else
          for (const word of preTokenize(inner.text, atStart)) {
            model.tokenize(word, ids);
            if (ids.length >= limit) break outer;
          }
        atStart = false;
        if (ids.length >= limit) break outer;
      }
    }
    ids.length = Math.min(ids.length, limit);
    return ids;
  };

  const room = (maxTokens: number) => {
    if (!(maxTokens > specialTokens)) {
      throw new RangeError(`maxTokens ${maxTokens} leaves no room beside the ${specialTokens} special tokens`);
    }
    return maxTokens - specialTokens;
  };

  return {
    specialTokens,
    tokenId: (token) => addedIds.get(token) ?? model.tokenId(token),
    encode(text, options = {}) {
      return postProcess({ ids: sequence(text, room(options.maxTokens ?? Number.POSITIVE_INFINITY)), typeIds: [] });
    },
    windows(text, { maxTokens, maxWindows }) {
      const size = room(maxTokens);
      const ids = sequence(text, size * maxWindows);
      const out: Encoding[] = [];
      for (let start = 0; start === 0 || start < ids.length; start += size) {
        out.push(postProcess({ ids: ids.slice(start, start + size), typeIds: [] }));
      }
      return out;
    },
  };
}
