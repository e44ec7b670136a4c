/** A compact view of findings for assertions: `[text, validator]` per finding, in order. */
import type { Detector } from "../types.js";

export function found(detector: Detector, text: string): [string, string][] {
  return detector.detect(text).map((f) => {
    if (text.slice(f.start, f.end) !== f.text) throw new Error(`span of ${f.entity} does not index the text`);
    return [f.text, f.validator];
  });
}
