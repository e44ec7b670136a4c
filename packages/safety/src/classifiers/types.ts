/**
 * The classifier interface: a named function from text to a score in [0, 1] per harm category of the
 * taxonomy (`taxonomy.ts`). A classifier may leave out categories it does not score; the pipeline
 * reads a missing category as 0. Classifiers never see policies: thresholds and actions are applied
 * by the pipeline.
 */
import type { Stage } from "@gemma-edge/protocol";
import type { Category } from "./taxonomy.js";

/** Scores by category, each in [0, 1]. */
export type CategoryScores = Partial<Record<Category, number>>;

export interface ClassifyOptions {
  /** Where the text comes from: a prompt (`input`) or model output. */
  readonly stage: Stage;
  /**
   * For output stages: the user prompt the output answers, when the caller knows it (judges such as `shieldgemma`
   * judge the response in its light). Absent on input.
   */
  readonly prompt?: string;
}

export interface Classifier {
  /** The name policies use to select it and findings report: `lexical`, `injection`, `onnx`, … */
  readonly name: string;
  /** Scores `text`. Must not throw on any string (lone surrogates included). */
  classify(text: string, options: ClassifyOptions): Promise<CategoryScores>;
}
