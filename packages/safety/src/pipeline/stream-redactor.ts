/**
 * The entity half of the stream guard: turns raw model text deltas into processed text (entity actions
 * applied, vault placeholders restored) that does not depend on how the text was chunked.
 *
 * Each step detects over `left context + pending` and releases text up to a cut: before the trailing run of
 * characters that could still grow into an active entity (`tailHoldBack`, at most `holdBack`), moved back to the start of any finding it would split (a finding still growing at
 * the end is held whole) and of any `[` that may open a placeholder. Released findings get spans in
 * processed-text coordinates. A `block` finding stops the text at its start (in shadow mode it is
 * only recorded).
 */
import type { EntityFinding } from "@gemma-edge/protocol";
import { type AppliedFinding, applyActions } from "../actions/apply.js";
import type { OutputStagePolicy } from "../policy/schema.js";
import type { Finding } from "../types.js";
import { activeEntities, toEntityFinding } from "./entities.js";
import { holdBackFor, LEFT_CONTEXT, MAX_PLACEHOLDER, tailHoldBack } from "./hold-back.js";
import type { EntityContext } from "./options.js";

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]{0,39}_\d{1,9}\]/g;
/** Pending text beyond the hold-back gathered before a detection step runs (fewer, larger steps: 2–4 tokens). */
const MIN_STEP = 8;

export interface Processed {
  readonly text: string;
  readonly findings: EntityFinding[];
  /** The finding that stopped the text (enforce mode only). */
  readonly blocked?: EntityFinding;
}

export class StreamRedactor {
  readonly #stage: OutputStagePolicy;
  readonly #ctx: EntityContext;
  readonly #shadow: boolean;
  readonly #entities;
  readonly #holdBack: number;
  readonly #holdBackCap: number | undefined;
  readonly #where: "output" | "output_stream";
  #context = "";
  #pending = "";
  #outLength = 0;
  #stopped = false;

  constructor(
    stage: OutputStagePolicy,
    ctx: EntityContext,
    options: { shadow: boolean; holdBackCap?: number; where?: "output" | "output_stream" },
  ) {
    this.#stage = stage;
    this.#where = options.where ?? "output_stream";
    this.#ctx = ctx;
    this.#shadow = options.shadow;
    this.#entities = activeEntities(stage);
    this.#holdBack = holdBackFor(this.#entities, options.holdBackCap);
    this.#holdBackCap = options.holdBackCap;
  }

  /** The most text ever held back, in UTF-16 code units (usually far less: see `tailHoldBack`). */
  get holdBack(): number {
    return this.#holdBack;
  }

  /** Adds a delta; returns the text it releases, if any. */
  async push(delta: string): Promise<Processed | undefined> {
    if (this.#stopped) return undefined;
    this.#pending += delta;
    if (this.#holdBack > 0 && this.#pending.length < this.#tail(this.#pending) + MIN_STEP) return undefined;
    return this.#step(false);
  }

  /** Releases everything still held (the stream ended). */
  async flush(): Promise<Processed | undefined> {
    if (this.#stopped) return undefined;
    return this.#step(true);
  }

  /** What of the end of `text` must wait: the trailing run that could still grow into an entity. */
  #tail(text: string): number {
    return this.#holdBack === 0 ? 0 : tailHoldBack(text, this.#entities, this.#holdBackCap);
  }

  #cutAt(text: string, findings: readonly Finding[], final: boolean): number {
    const start = this.#context.length;
    let cut = final ? text.length : text.length - this.#tail(text);
    for (;;) {
      const before = cut;
      for (let i = findings.length - 1; i >= 0; i--) {
        const f = findings[i] as Finding;
        if (f.start < cut && f.end > cut) cut = f.start;
      }
      if (!final && this.#ctx.vault.size > 0) {
        const open = text.lastIndexOf("[", cut - 1);
        if (open >= Math.max(start, cut - MAX_PLACEHOLDER)) {
          const close = text.indexOf("]", open);
          if (close === -1 || close >= cut) cut = open;
        }
      }
      if (cut === before || cut <= start) return Math.max(cut, start);
    }
  }

  async #step(final: boolean): Promise<Processed | undefined> {
    const text = this.#context + this.#pending;
    const start = this.#context.length;
    const findings =
      this.#entities.length === 0
        ? []
        : this.#ctx.registry.detect(text, { entities: this.#entities }).filter((f) => f.start >= start);
    let cut = this.#cutAt(text, findings, final);
    let blocked: Finding | undefined;
    if (!this.#shadow) {
      blocked = findings.find((f) => f.end <= cut && this.#stage.entities[f.entity] === "block");
      if (blocked !== undefined) cut = blocked.start;
    }
    if (cut <= start && blocked === undefined) return undefined;
    const segment = text.slice(start, cut);
    const inSegment = findings
      .filter((f) => f.end <= cut)
      .map((f) => ({ ...f, start: f.start - start, end: f.end - start }));
    const applied = await applyActions(segment, inSegment, (f) => this.#stage.entities[f.entity] ?? "allow", {
      vault: this.#ctx.vault,
      ...(this.#ctx.hashKey === undefined ? {} : { hashKey: this.#ctx.hashKey }),
    });
    const out = this.#assemble(segment, applied.findings);
    this.#context = text.slice(Math.max(0, cut - LEFT_CONTEXT), cut);
    this.#pending = text.slice(cut);
    let result: Processed = out;
    if (blocked !== undefined) {
      const at = this.#outLength;
      const stop = toEntityFinding({ ...blocked, action: "block" }, this.#where, at, at + blocked.end - blocked.start);
      result = { ...out, findings: [...out.findings, stop], blocked: stop };
      this.#stopped = true;
    }
    return result;
  }

  /** The segment with replacements applied (not in shadow mode) and vault placeholders restored. */
  #assemble(segment: string, findings: readonly AppliedFinding[]): Processed {
    type Event = { start: number; end: number; finding?: AppliedFinding; value?: string };
    const events: Event[] = findings.map((f) => ({ start: f.start, end: f.end, finding: f }));
    for (const m of segment.matchAll(PLACEHOLDER)) {
      const value = this.#ctx.vault.lookup(m[0]);
      const s = m.index;
      const e = s + m[0].length;
      if (value === undefined || findings.some((f) => f.start < e && f.end > s)) continue;
      events.push({ start: s, end: e, value });
    }
    events.sort((a, b) => a.start - b.start);
    const parts: string[] = [];
    const wire: EntityFinding[] = [];
    let at = 0;
    let length = this.#outLength;
    for (const event of events) {
      const plain = segment.slice(at, event.start);
      parts.push(plain);
      length += plain.length;
      const f = event.finding;
      const replacement =
        f === undefined
          ? (event.value as string)
          : this.#shadow || f.replacement === undefined
            ? f.text
            : f.replacement;
      parts.push(replacement);
      if (f !== undefined) wire.push(toEntityFinding(f, this.#where, length, length + replacement.length));
      length += replacement.length;
      at = event.end;
    }
    const tail = segment.slice(at);
    parts.push(tail);
    length += tail.length;
    this.#outLength = length;
    return { text: parts.join(""), findings: wire };
  }
}
