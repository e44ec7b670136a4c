/**
 * Added tokens (`tokenizer.json` `added_tokens`: `[CLS]`, `<s>`, `<mask>`, …) are matched in the text before the
 * pipeline runs, as the `tokenizers` crate's `AddedVocabulary` does: leftmost-longest, the tokens marked
 * `normalized: false` on the raw text, the others on the normalized text between those. `lstrip`/`rstrip` take the
 * whitespace beside a match with it; a `single_word` match must not touch a word character. A match is one id.
 */
const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const SPACE = /\s/u;

export interface AddedToken {
  readonly id: number;
  readonly content: string;
  readonly singleWord: boolean;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
  readonly normalized: boolean;
}

/** A piece of the input: plain text for the pipeline, or the id of an added token. */
export type Piece = { readonly text: string } | { readonly id: number };

/** Parses the `added_tokens` list, leaving out malformed entries. */
export function parseAddedTokens(json: unknown): AddedToken[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((t: Record<string, unknown>) =>
    typeof t?.id === "number" && typeof t.content === "string" && t.content !== ""
      ? [
          {
            id: t.id,
            content: t.content,
            singleWord: t.single_word === true,
            lstrip: t.lstrip === true,
            rstrip: t.rstrip === true,
            normalized: typeof t.normalized === "boolean" ? t.normalized : t.special !== true,
          },
        ]
      : [],
  );
}

/** Splits texts on a set of added tokens. Linear in the text times the tokens sharing a first character. */
export function createSplitter(tokens: readonly AddedToken[]): (text: string) => Piece[] {
  const byFirst = new Map<string, AddedToken[]>();
  for (const token of tokens) {
    const first = token.content[0] as string;
    const list = byFirst.get(first) ?? [];
    list.push(token);
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.content.length - a.content.length);
  if (byFirst.size === 0) return (text) => (text === "" ? [] : [{ text }]);

  return (text) => {
    const pieces: Piece[] = [];
    let from = 0;
    for (let i = 0; i < text.length; ) {
      const token = byFirst.get(text[i] as string)?.find((t) => text.startsWith(t.content, i));
      if (token === undefined) {
        i++;
        continue;
      }
      let start = i;
      let end = i + token.content.length;
      const wordBefore = start > 0 && WORD_CHAR.test(text[start - 1] as string);
      const wordAfter = end < text.length && WORD_CHAR.test(text[end] as string);
      if (token.singleWord && (wordBefore || wordAfter)) {
        i = end;
        continue;
      }
      if (token.lstrip) while (start > from && SPACE.test(text[start - 1] as string)) start--;
      if (token.rstrip) while (end < text.length && SPACE.test(text[end] as string)) end++;
      if (start > from) pieces.push({ text: text.slice(from, start) });
      pieces.push({ id: token.id });
      from = i = end;
    }
    if (from < text.length) pieces.push({ text: text.slice(from) });
    return pieces;
  };
}
