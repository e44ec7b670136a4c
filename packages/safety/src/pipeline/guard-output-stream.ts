/**
 * `guardOutputStream`: the policy's output stage over a model's text deltas. Entities are handled
 * across chunk boundaries by `StreamRedactor`; the processed text is then scored by the stage's
 * classifiers in windows of `streaming.windowTokens × 4` characters (stride one window, each scored
 * together with the window before it; the first windows start at `firstWindowTokens` and double up to
 * the stride) and released only once the window holding it passed. A block
 * stops the stream: nothing after the violating window (or entity) is emitted and the last part is
 * `finish` with reason `content_filter`. Windows and cuts sit at text positions, never at chunk
 * boundaries, so any chunking of the same text gives the same parts' concatenated text.
 */
import type { CategoryFinding, EntityFinding, Finding, GemmaEdgeModeration } from "@gemma-edge/protocol";
import { Vault } from "../actions/vault.js";
import { CATEGORIES, type Category } from "../classifiers/taxonomy.js";
import type { Policy } from "../policy/schema.js";
import { type GuardOptions, hashKeyOf, registryOf, resolveClassifiers } from "./options.js";
import { categoryFindings, scoreText } from "./score.js";
import { StreamRedactor } from "./stream-redactor.js";

/** Characters per token used to turn `windowTokens` into text positions. */
export const CHARS_PER_TOKEN = 4;

export type OutputPart =
  | { readonly type: "text-delta"; readonly text: string }
  | { readonly type: "finish"; readonly reason: "stop" | "content_filter"; readonly moderation: GemmaEdgeModeration };

export interface GuardOutputOptions extends GuardOptions {
  /** The stage findings report: `output` for a complete answer. @default "output_stream" */
  readonly stage?: "output" | "output_stream";
  /**
   * The user prompt the output answers (`GuardInputResult.prompt`), passed to the classifiers so judges such as
   * `shieldgemma` judge the output in its light. @default undefined
   */
  readonly prompt?: string | undefined;
}

/**
 * Guards a stream of text deltas under `policy`, restoring the request's pseudonyms from `vault`.
 *
 * @example
 * for await (const part of guardOutputStream(model.stream(messages), policy, vault)) {
 *   if (part.type === "text-delta") send(part.text);
 *   else finish(part.reason, part.moderation);
 * }
 */
export async function* guardOutputStream(
  stream: AsyncIterable<string>,
  policy: Policy,
  vault: Vault = new Vault(),
  options: GuardOutputOptions = {},
): AsyncGenerator<OutputPart, void, undefined> {
  const stage = policy.output;
  const where = options.stage ?? "output_stream";
  const shadow = policy.mode === "shadow";
  const hashKey = hashKeyOf(policy, options);
  const ctx = { registry: registryOf(options), vault, ...(hashKey === undefined ? {} : { hashKey }) };
  const redactor = new StreamRedactor(stage, ctx, {
    shadow,
    where,
    ...(policy.streaming.holdBackChars === undefined ? {} : { holdBackCap: policy.streaming.holdBackChars }),
  });
  const classifiers = resolveClassifiers(stage.classifiers, options.classifiers, "output");
  const gated = classifiers.length > 0 && Object.keys(stage.categories).length > 0;
  const stride = policy.streaming.windowTokens * CHARS_PER_TOKEN;
  /** The window boundary after `at`: doubling from the first window up to the stride, then every stride. */
  const nextBoundary = (at: number) => (at < stride ? Math.min(stride, 2 * at) : at + stride);

  let out = "";
  let released = 0;
  let boundary = Math.min(stride, Math.max(1, policy.streaming.firstWindowTokens) * CHARS_PER_TOKEN);
  let previous = 0; // the boundary before `boundary`
  const entityFindings: EntityFinding[] = [];
  const best = new Map<Category, CategoryFinding>();
  let blocker: Finding | undefined;

  /** Scores `[start, end)` of the processed text; true when it blocks (enforce mode). */
  const score = async (start: number, end: number): Promise<boolean> => {
    const scored = await scoreText(out.slice(start, end), classifiers, where, options.prompt);
    let blocks = false;
    for (const f of categoryFindings(scored, stage.categories, where, { start, end })) {
      const known = best.get(f.category as Category);
      if (known === undefined || f.score > known.score) best.set(f.category as Category, f);
      if (f.action === "block" && blocker === undefined) {
        blocker = f;
        blocks = true;
      }
    }
    return blocks && !shadow;
  };
  const take = (piece: { text: string; findings: EntityFinding[]; blocked?: EntityFinding } | undefined) => {
    if (piece === undefined) return;
    out += piece.text;
    entityFindings.push(...piece.findings);
    if (piece.blocked !== undefined) blocker ??= piece.blocked;
  };
  const finish = (stopped: boolean): OutputPart => {
    const findings: Finding[] = [...entityFindings, ...CATEGORIES.flatMap((c) => best.get(c) ?? [])];
    const modified = entityFindings.some((f) => f.action !== "allow" && f.action !== "block");
    const decision = blocker !== undefined ? "block" : modified ? "modify" : "allow";
    return {
      type: "finish",
      reason: stopped ? "content_filter" : "stop",
      moderation: { policy_id: policy.id, mode: policy.mode, decision, findings },
    };
  };
  const delta = (end: number): OutputPart | undefined => {
    if (end <= released) return undefined;
    const part: OutputPart = { type: "text-delta", text: out.slice(released, end) };
    released = end;
    return part;
  };

  /** Scores every full window the processed text reaches and releases what passed; false on a block. */
  async function* advance(): AsyncGenerator<OutputPart, boolean, undefined> {
    if (gated) {
      while (out.length >= boundary) {
        if (await score(Math.max(0, boundary - 2 * stride), boundary)) return false;
        const part = delta(boundary);
        if (part !== undefined) yield part;
        previous = boundary;
        boundary = nextBoundary(boundary);
      }
    }
    if (!gated || shadow) {
      const part = delta(out.length);
      if (part !== undefined) yield part;
    }
    return true;
  }

  let entityStop = false;
  for await (const chunk of stream) {
    take(await redactor.push(chunk));
    entityStop = blocker !== undefined && !shadow;
    if (!(yield* advance())) {
      yield finish(true);
      return;
    }
    if (entityStop) break;
  }
  if (!entityStop) {
    take(await redactor.flush());
    entityStop = blocker !== undefined && !shadow;
    if (!(yield* advance())) {
      yield finish(true);
      return;
    }
  }
  if (gated && out.length > previous) {
    if (await score(Math.max(0, boundary - 2 * stride), out.length)) {
      yield finish(true);
      return;
    }
  }
  const part = delta(out.length);
  if (part !== undefined) yield part;
  yield finish(entityStop);
}

/**
 * The whole guarded output of `stream`: the concatenated text and the finish part.
 *
 * @example
 * const { text, finish } = await collectOutput(guardOutputStream(chunks, policy, vault));
 */
export async function collectOutput(
  parts: AsyncIterable<OutputPart>,
): Promise<{ text: string; finish: Extract<OutputPart, { type: "finish" }> }> {
  let text = "";
  for await (const part of parts) {
    if (part.type === "text-delta") text += part.text;
    else return { text, finish: part };
  }
  throw new Error("the output stream ended without a finish part");
}

/**
 * Guards a complete model answer (non-streaming responses): the stream guard over one chunk.
 *
 * @example
 * const { text, finish } = await guardOutput(answer, policy, vault);
 */
export function guardOutput(
  text: string,
  policy: Policy,
  vault: Vault = new Vault(),
  options: Omit<GuardOutputOptions, "stage"> = {},
): Promise<{ text: string; finish: Extract<OutputPart, { type: "finish" }> }> {
  async function* once() {
    yield text;
  }
  return collectOutput(guardOutputStream(once(), policy, vault, { ...options, stage: "output" }));
}
