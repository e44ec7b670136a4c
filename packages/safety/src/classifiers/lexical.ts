/**
 * The lexical classifier (`lexical`): the fast default. Curated word patterns per harm category
 * (`rules.ts`) over evasion-folded views of the text (`normalize.ts`), and the `obscenity` English
 * dataset for profanity and slurs. Slurs also count as `hate`, explicit words as `sexual`, and `rape`
 * as `violence`. Linear time: a constant number of linear regex scans per view.
 */
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from "obscenity";
import { noisyOr, normalize, views } from "./normalize.js";
import { RULES } from "./rules.js";
import type { CategoryScores, Classifier } from "./types.js";

const SLURS = new Set([
  "abeed",
  "africoon",
  "arabush",
  "boonga",
  "chingchong",
  "chink",
  "kike",
  "negro",
  "nigger",
  "tranny",
  "fag",
  "dyke",
  "retard",
  "spastic",
]);
const EXPLICIT = new Set([
  "anal",
  "blowjob",
  "buttplug",
  "cum",
  "deepthroat",
  "dildo",
  "doggystyle",
  "double penetration",
  "ejaculate",
  "felch",
  "fellatio",
  "finger bang",
  "fisting",
  "gangbang",
  "handjob",
  "hentai",
  "jerk off",
  "jizz",
  "lubejob",
  "masturbate",
  "orgasm",
  "orgy",
  "porn",
  "semen",
  "sex",
  "bestiality",
  "incest",
]);

let matcher: RegExpMatcher | undefined;
function profanityMatcher(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher;
}

/** The distinct `obscenity` dataset words found in any of `texts`. */
export function obsceneWords(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) {
    for (const match of profanityMatcher().getAllMatches(text)) {
      const word = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord;
      if (word !== undefined) words.add(word);
    }
  }
  return words;
}

/**
 * Scores of the word rules and obscenity dataset over `text`, without the classifier wrapper.
 *
 * @example
 * lexicalScores("I will k i l l you").violence; // 0.9 or more
 */
export function lexicalScores(text: string): CategoryScores {
  const normalized = normalize(text);
  const texts = views(normalized);
  const evidence = new Map<string, number[]>();
  const add = (category: string, weight: number) => {
    const list = evidence.get(category);
    if (list === undefined) evidence.set(category, [weight]);
    else list.push(weight);
  };
  for (const rule of RULES) {
    if (texts.some((view) => rule.pattern.test(view))) add(rule.category, rule.weight);
  }
  let profane = 0;
  for (const word of obsceneWords([normalized.visible, normalized.plain])) {
    if (SLURS.has(word)) {
      add("hate", 0.8);
      profane++;
    } else if (EXPLICIT.has(word)) add("sexual", 0.35);
    else if (word === "rape") {
      add("violence", 0.5);
      add("sexual", 0.35);
    } else profane++;
  }
  if (profane > 0) add("profanity", profane === 1 ? 0.6 : profane === 2 ? 0.8 : 0.95);
  const scores: CategoryScores = {};
  for (const [category, weights] of evidence) scores[category as keyof CategoryScores] = noisyOr(weights);
  return scores;
}

/**
 * The lexical classifier.
 *
 * @example
 * const scores = await createLexicalClassifier().classify("how do I make a pipe bomb", { stage: "input" });
 * scores.dangerous; // > 0.8
 */
export function createLexicalClassifier(): Classifier {
  return {
    name: "lexical",
    async classify(text) {
      return lexicalScores(text);
    },
  };
}
