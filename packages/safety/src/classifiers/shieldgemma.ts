/**
 * The ShieldGemma judge (`shieldgemma`): a ShieldGemma model (Gemma 2 architecture; the 2B size is the one that fits
 * the edge) asked once per harm type whether the text violates that harm type's guideline (`shieldgemma-template.ts`).
 * A harm type's score is P(Yes) of the softmax over the `Yes` and `No` next-token log-probabilities at the last
 * position, as the model card computes it. Input is judged prompt-only; output is judged prompt-response when the
 * caller passes the prompt (`ClassifyOptions.prompt`), else prompt-only, as if the output were a prompt: the
 * prompt-only guideline forbids *containing* the content as well as seeking it.
 *
 * The runtime is an interface (`JudgeRuntime`), so this package holds no model code: a `GemmaModel` of
 * `@gemma-edge/gemma` is one as it is. Harm types run one after another and the texts of one `classify` call back to
 * back (one model, one KV cache), so the prompts of one text reuse its cached prefix.
 */
import { END_OF_TURN, type JudgedTexts, START_OF_TURN, shieldGemmaSegments } from "./shieldgemma-template.js";
import { type Category, SHIELDGEMMA_HARMS, type ShieldGemmaHarm } from "./taxonomy.js";
import type { CategoryScores, Classifier } from "./types.js";

/** The tokenizer half of a judge runtime (`GemmaModel.tokenizer` is one). */
export interface JudgeTokenizer {
  /** The id of `<bos>`. */
  readonly bos: number;
  /** Token ids of `text` without BOS; control-token text in it (`<start_of_turn>`) must stay text. */
  encode(text: string, options: { readonly addBos: false; readonly parseSpecial: false }): number[];
  /** The id of a token by its text (`Yes`, `<start_of_turn>`), if the vocabulary has it. */
  tokenId(piece: string): number | undefined;
}

/** What the judge needs of a model runtime. A `GemmaModel` of `@gemma-edge/gemma` is one. */
export interface JudgeRuntime {
  readonly tokenizer: JudgeTokenizer;
  /** ln p of each candidate as the next token after `prompt` (the ids as they are, BOS included). */
  score(prompt: readonly number[], candidates: readonly number[]): Promise<number[]>;
  /** The positions the runtime's KV cache holds; judge prompts are cut to fit. */
  readonly info?: { readonly maxContext: number };
}

/** The category each harm type reports as by default (see `ShieldGemmaOptions.categories`). */
export const SHIELDGEMMA_CATEGORIES: Readonly<Record<ShieldGemmaHarm, readonly Category[]>> = {
  "Dangerous Content": ["dangerous"],
  "Hate Speech": ["hate"],
  "Sexually Explicit Information": ["sexual"],
  Harassment: ["harassment"],
};

export interface ShieldGemmaOptions {
  /** The harm types judged, in this order: one forward pass each per text. @default all four */
  readonly harms?: readonly ShieldGemmaHarm[];
  /**
   * The taxonomy categories each harm type's score is reported as; where harm types share a category the higher
   * score counts. The default reports each harm type as its closest category only: also reporting "Dangerous
   * Content" as `self_harm` and "Sexually Explicit Information" as `sexual_minors` (as `TAXONOMY` maps them) would
   * flag a question about explosives as self-harm and adult content as involving minors.
   * @default SHIELDGEMMA_CATEGORIES
   */
  readonly categories?: Readonly<Partial<Record<ShieldGemmaHarm, readonly Category[]>>>;
  /**
   * The most UTF-16 code units of each judged text (the prompt, the response); a longer text is judged on its first
   * and last halves around a "…" line. A request's size is bounded by the policy's `maxInputChars`, not by this.
   * @default 4000
   */
  readonly maxChars?: number;
  /** The most tokens of a judge prompt; texts are cut further to fit. @default runtime.info.maxContext, else 8192 */
  readonly maxTokens?: number;
  /** The name policies select it by. @default "shieldgemma" */
  readonly name?: string;
}

/** ShieldGemma's context length (Gemma 2). */
const SHIELDGEMMA_CONTEXT = 8192;
const ELLIPSIS = "\n…\n";
const PLAIN = { addBos: false, parseSpecial: false } as const;

/**
 * P(Yes) of the two-way softmax over the ln-probabilities (or logits) of `Yes` and `No`: 1 / (1 + e^(lnNo − lnYes)).
 * Only the difference is exponentiated, so any magnitudes are exact (−1000 vs −1001 gives e/(1 + e)). Both −∞ gives
 * 0.5; a NaN gives NaN.
 *
 * @example
 * yesProbability(Math.log(0.3), Math.log(0.1)); // 0.75
 */
export function yesProbability(lnYes: number, lnNo: number): number {
  if (lnYes === Number.NEGATIVE_INFINITY && lnNo === Number.NEGATIVE_INFINITY) return 0.5;
  return 1 / (1 + Math.exp(lnNo - lnYes));
}

/**
 * `text` cut to at most `max` UTF-16 code units: its first and last halves around a "…" line, never splitting a
 * surrogate pair. Too small a `max` for the ellipsis gives "".
 *
 * @example
 * clipText("abcdefghij", 7); // "ab\n…\nij"
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return "";
  const half = Math.floor((max - ELLIPSIS.length) / 2);
  const high = (i: number) => (text.charCodeAt(i) & 0xfc00) === 0xd800;
  const low = (i: number) => (text.charCodeAt(i) & 0xfc00) === 0xdc00;
  const head = high(half - 1) && low(half) ? half - 1 : half;
  const tail = low(text.length - half) && high(text.length - half - 1) ? text.length - half + 1 : text.length - half;
  return `${text.slice(0, head)}${ELLIPSIS}${text.slice(tail)}`;
}

function requireToken(tokenizer: JudgeTokenizer, piece: string): number {
  const id = tokenizer.tokenId(piece);
  if (id === undefined) {
    throw new TypeError(`the judge runtime's vocabulary has no "${piece}" token: ShieldGemma needs Gemma's vocabulary`);
  }
  return id;
}

/**
 * The ShieldGemma judge over `runtime`. Throws a `TypeError` when the vocabulary lacks a token the template needs, and
 * a `RangeError` when even the bare template does not fit `maxTokens`.
 *
 * @example
 * const model = await loadModel(await fileSource("shieldgemma-2b.Q4_0.gguf"), { maxContext: 2048 });
 * const judge = createShieldGemmaClassifier(model);
 * await judge.classify("how do I build a pipe bomb", { stage: "input" }); // { dangerous: 0.9…, hate: 0.0…, … }
 */
export function createShieldGemmaClassifier(runtime: JudgeRuntime, options: ShieldGemmaOptions = {}): Classifier {
  const { tokenizer } = runtime;
  const harms = options.harms ?? SHIELDGEMMA_HARMS;
  const categories = options.categories ?? SHIELDGEMMA_CATEGORIES;
  const maxChars = options.maxChars ?? 4000;
  const maxTokens = options.maxTokens ?? runtime.info?.maxContext ?? SHIELDGEMMA_CONTEXT;
  const control = {
    [START_OF_TURN]: requireToken(tokenizer, START_OF_TURN),
    [END_OF_TURN]: requireToken(tokenizer, END_OF_TURN),
  };
  const candidates = [requireToken(tokenizer, "Yes"), requireToken(tokenizer, "No")];

  const encode = (harm: ShieldGemmaHarm, texts: JudgedTexts): number[] => {
    const ids = [tokenizer.bos];
    for (const segment of shieldGemmaSegments(harm, texts)) {
      if ("control" in segment) ids.push(control[segment.control]);
      else for (const id of tokenizer.encode(segment.text, PLAIN)) ids.push(id);
    }
    return ids;
  };
  /** The judge prompt's ids, its texts clipped to `maxChars` and then shorter until it fits `maxTokens`. */
  const promptIds = (harm: ShieldGemmaHarm, texts: JudgedTexts): number[] => {
    for (let chars = maxChars; ; ) {
      const clip = (text: string) => clipText(text.trim(), chars);
      const ids = encode(
        harm,
        texts.response === undefined
          ? { prompt: clip(texts.prompt) }
          : { prompt: clip(texts.prompt), response: clip(texts.response) },
      );
      if (ids.length <= maxTokens || chars === 0) return ids;
      chars = Math.floor(chars * Math.min(0.9, maxTokens / ids.length));
    }
  };
  for (const harm of harms) {
    const longest = encode(harm, { prompt: "", response: "" }).length;
    if (longest > maxTokens) {
      throw new RangeError(`ShieldGemma's "${harm}" prompt takes ${longest} tokens; maxTokens is ${maxTokens}`);
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  /** Judges every harm type of `texts`, after the calls before it. */
  const judge = (texts: JudgedTexts): Promise<CategoryScores> => {
    const run = queue.then(async () => {
      const scores: CategoryScores = {};
      for (const harm of harms) {
        const [lnYes = Number.NaN, lnNo = Number.NaN] = await runtime.score(promptIds(harm, texts), candidates);
        const p = yesProbability(lnYes, lnNo);
        if (!(p >= 0 && p <= 1)) continue;
        for (const category of categories[harm] ?? []) scores[category] = Math.max(scores[category] ?? 0, p);
      }
      return scores;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    name: options.name ?? "shieldgemma",
    async classify(text, { stage, prompt }) {
      if (text.trim() === "") return {};
      return judge(stage !== "input" && prompt !== undefined ? { prompt, response: text } : { prompt: text });
    },
  };
}
