/**
 * Context words around an ambiguous value. Nine digits or a dotted quad mean different things next
 * to different words (`SSN 536221849` vs `order 536221849`, `server 10.2.3.4` vs `build 10.2.3.4`), and
 * people put the word on either side: `Could you check 536221849? It's the SSN from case 12.` So a
 * detector asks which kind of word stands **nearest** to the value, within a window before and after.
 *
 * Every look is bounded by the windows, and the word lists are plain alternations (linear). Text after
 * a value is context too, so the stream guard must hold a candidate until `RIGHT_CONTEXT` characters
 * follow it (see `pipeline/hold-back.ts`), or its decision would depend on the chunking.
 */

/** Characters before a value a detector reads for context words. */
export const LEFT_WINDOW = 48;
/** Characters after a value a detector reads for context words; the stream guard holds that much. */
export const RIGHT_CONTEXT = 96;

/** A number right after a context word: `ticket #1518`, `chamado nº 51531`, `チケット1518`, `"phone": "+49…`. */
const OWN_NUMBER = /^[\s#:=nº.()"'+-]{0,5}\d/;

/** Another number (two digits or more), or the end of a sentence, between a word before the value and the value. */
const NUMBER_OR_SENTENCE_END_BETWEEN = /\d\d|[.?!]\s|[。？！]/;

/**
 * Whether a context word is about something other than the value at `start`: a number right after it
 * (`It's the SSN from ticket #12`: `ticket` is about `#12`), or, for a word before the value, a number
 * or a sentence end standing between them (`the ITIN is 938-86-4447. Can you check 177-17-2555?`,
 * `…のビルドです。50.104.181.75を確認…`). Words after the value may be in the next sentence: people name
 * a value and then say what it is (`Can you check 177-17-2555? It's the SSN from case 12.`).
 */
function claimed(text: string, wordEnd: number, start: number): boolean {
  const own = OWN_NUMBER.exec(text.slice(wordEnd, wordEnd + 6));
  if (own !== null && wordEnd + own[0].length - 1 !== start) return true;
  return wordEnd <= start && NUMBER_OR_SENTENCE_END_BETWEEN.test(text.slice(wordEnd, start));
}

/**
 * Distance in characters from `[start, end)` to the nearest match of `words` (a regex with the `g` flag)
 * within `LEFT_WINDOW` before and `RIGHT_CONTEXT` after, skipping a word that is about another number;
 * `Infinity` when none.
 *
 * @example
 * contextDistance("SSN: 536221849", 5, 14, /\bssn\b/gi); // 2
 * contextDistance("536221849? It's from ticket 12", 0, 9, /\bticket\b/gi); // Infinity
 */
export function contextDistance(text: string, start: number, end: number, words: RegExp): number {
  let best = Number.POSITIVE_INFINITY;
  const from = Math.max(0, start - LEFT_WINDOW);
  for (const m of text.slice(from, start).matchAll(words)) {
    const at = from + m.index;
    if (!claimed(text, at + m[0].length, start)) best = start - at - m[0].length;
  }
  for (const m of text.slice(end, end + RIGHT_CONTEXT).matchAll(words)) {
    const at = end + m.index;
    if (claimed(text, at + m[0].length, start)) continue;
    best = Math.min(best, m.index);
    break;
  }
  return best;
}

/**
 * Which of two word lists stands nearer to the value: `"first"`, `"second"`, or `undefined` when neither
 * is in reach. A tie (both at the same distance, which only overlapping words can give) goes to neither.
 */
export function nearerContext(
  text: string,
  start: number,
  end: number,
  first: RegExp,
  second: RegExp,
): "first" | "second" | undefined {
  const a = contextDistance(text, start, end, first);
  const b = contextDistance(text, start, end, second);
  if (a === b) return undefined;
  return a < b ? "first" : "second";
}
