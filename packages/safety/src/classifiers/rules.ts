/**
 * The curated word patterns of the lexical classifier, per category. They run over the folded views of
 * `normalize.ts`: lowercase ASCII words separated by single spaces, with a space at both ends, so a
 * pattern is a sequence of literal alternations joined by spaces. Gaps between words are bounded
 * (`(?:[a-z]+ ){0,3}`) and words cannot contain spaces, so no pattern can backtrack more than a
 * constant per position: linear time, no ReDoS.
 *
 * Each rule carries a weight: the probability-like strength of its evidence. A category's score is
 * the noisy-OR of the weights of its rules that match (each rule counts once).
 */
import type { Category } from "./taxonomy.js";

export interface Rule {
  readonly category: Category;
  readonly weight: number;
  readonly pattern: RegExp;
}

const GAP = (n: number) => `(?:[a-z0-9]+ ){0,${n}}`;
const PEOPLE =
  "(?:you|u|him|her|them|everyone|everybody|people|all of you|your family|my (?:wife|husband|boss|neighbou?r|teacher|family|ex)|the (?:president|teacher|kids|children))";
const KILL = "(?:kill|murder|stab|shoot|strangle|behead|slaughter|torture|butcher|execute)";
const GROUPS =
  "(?:jews|muslims|christians|blacks|whites|gays|lesbians|immigrants|refugees|mexicans|arabs|asians|africans|women|trans people|indians|chinese)";
const MINOR =
  "(?:child|children|kid|kids|minor|minors|underage|preteen|preteens|schoolgirl|schoolboy|loli|lolita|shota|toddler|[0-9]{1,2} (?:year|yr) old)";
const SEX =
  "(?:sex(?! education | ed )|sexual(?! (?:education|health|abuse prevention) )|sexy|nude|nudes|naked|porn[a-z]{0,6}|erotic[a-z]{0,4}|intercourse|molest[a-z]{0,4}|grooming)";
const HOWTO = "(?:how (?:to|do i|do you|can i|could i|would i|should i)|steps to|instructions (?:to|for)|guide to)";
const WEAPON =
  "(?:bomb|pipe bomb|explosives?|nerve agent|sarin|vx gas|ricin|anthrax|bioweapon|chemical weapon|napalm|thermite|molotov cocktail|dirty bomb|ied|nitroglycerin|tatp|ghost gun|untraceable gun|suicide vest)";
const DRUG = "(?:meth|methamphetamine|fentanyl|heroin|cocaine|crack cocaine|lsd|mdma)";

function rule(category: Category, weight: number, source: string): Rule {
  return { category, weight, pattern: new RegExp(` ${source} `) };
}

export const RULES: readonly Rule[] = [
  // violence
  rule(
    "violence",
    0.9,
    `(?:i will|i ll|im going to|i m going to|i am going to|gonna|i want to|let s|i m gonna) ${KILL} ${PEOPLE}`,
  ),
  rule("violence", 0.6, `${KILL} ${PEOPLE}`),
  rule(
    "violence",
    0.8,
    `${HOWTO} (?:kill|murder|poison|strangle|stab) (?:a |an |my )?(?:someone|somebody|person|people|him|her|wife|husband|neighbou?r|child)`,
  ),
  rule("violence", 0.9, `(?:mass shooting|shoot up (?:the|a|my) (?:school|church|mosque|synagogue|mall|office))`),
  rule("violence", 0.5, `(?:dismember(?:ed|ing)?|disembowel(?:ed|ing)?|decapitat(?:e|ed|ing))`),
  // self-harm
  rule("self_harm", 0.9, `(?:kill|hurt|cut|harm|hang|shoot|starve) myself`),
  rule("self_harm", 0.9, `(?:want|going|plan|planning|wanna) to (?:die|end it all|end my life|commit suicide)`),
  rule("self_harm", 0.85, `(?:end my (?:own )?life|commit suicide|suicidal|take my own life|no reason to live)`),
  rule("self_harm", 0.9, `${HOWTO} (?:kill myself|commit suicide|end my life|cut myself|overdose|hang myself)`),
  rule("self_harm", 0.4, `(?:suicide|self harm|selfharm|self injury)`),
  // hate
  rule(
    "hate",
    0.85,
    `(?:all|those|these|the) ${GROUPS} (?:are|should) ${GAP(2)}(?:vermin|animals|subhuman|parasites|scum|inferior|die|be (?:killed|exterminated|deported|gassed|eliminated))`,
  ),
  rule("hate", 0.85, `(?:exterminate|gas|eradicate|eliminate|wipe out) (?:all |the )?${GROUPS}`),
  rule("hate", 0.8, `(?:heil hitler|white power|white supremacy|race war now|14 88|1488)`),
  rule("hate", 0.6, `i hate (?:all )?${GROUPS}`),
  // harassment
  rule(
    "harassment",
    0.7,
    `(?:you|u) (?:are|re|r) (?:a |an |such a |so |a fucking |fucking )?(?:worthless|pathetic|stupid|idiot|moron|loser|ugly|disgusting|piece of (?:shit|garbage|trash)|waste of (?:space|air|oxygen))`,
  ),
  rule(
    "harassment",
    0.9,
    `(?:kill yourself|kys|go die|you deserve to die|you should die|i know where you live|i will find you|i ll find you|nobody (?:loves|likes|wants) you)`,
  ),
  rule("harassment", 0.5, `(?:shut up|screw you|go to hell|fuck off|fuck you)`),
  // sexual
  rule("sexual", 0.7, `(?:have|having|had) sex with`),
  rule(
    "sexual",
    0.7,
    `(?:write|describe|tell|give) (?:me )?(?:a |an |some )?(?:erotic|sexy|porn|porno|explicit|nsfw|smut|smutty|sexual) ${GAP(2)}(?:story|scene|scenario|fanfic|content|description|roleplay)`,
  ),
  rule("sexual", 0.6, `(?:nude|naked|topless) (?:photos|pics|pictures|images|selfies)`),
  // sexual content involving minors
  rule(
    "sexual_minors",
    0.95,
    `(?:child|kiddie|underage|preteen|loli|lolita|shota) (?:porn[a-z]{0,6}|sex|nudes|hentai|erotica)`,
  ),
  rule(
    "sexual_minors",
    0.95,
    `(?:nude|naked|sexy|explicit) (?:photos|pics|pictures|images|videos) of (?:a |my |your |the )?${MINOR}`,
  ),
  rule("sexual_minors", 0.6, `${MINOR} ${GAP(3)}${SEX}`),
  rule("sexual_minors", 0.6, `${SEX} ${GAP(3)}${MINOR}`),
  // dangerous (mass-harm weapons and explosives)
  rule(
    "dangerous",
    0.85,
    `${HOWTO} (?:make|build|create|synthesi[sz]e|produce|assemble|cook|manufacture|weaponi[sz]e) (?:a |an |some |my own )?${GAP(2)}${WEAPON}`,
  ),
  rule("dangerous", 0.35, WEAPON),
  // illicit (non-violent crime)
  rule("illicit", 0.8, `${HOWTO} (?:make|cook|synthesi[sz]e|produce|grow) ${GAP(2)}${DRUG}`),
  rule(
    "illicit",
    0.75,
    `${HOWTO} (?:steal|shoplift|launder money|hotwire|pick a lock|hack into|break into|forge|counterfeit|evade taxes|skim (?:credit )?cards|bypass (?:a |the )?(?:paywall|license))`,
  ),
  rule(
    "illicit",
    0.7,
    `(?:write|create|build|code) (?:me )?(?:a |an |some )?(?:ransomware|keylogger|malware|computer virus|botnet|credential stealer|phishing (?:email|page|kit|site))`,
  ),
  rule(
    "illicit",
    0.6,
    `(?:buy|sell|selling|buying) (?:stolen|fake|forged|cloned) (?:credit cards|cards|ids|passports|identities|documents)`,
  ),
  rule("illicit", 0.4, `(?:money laundering|identity theft|credit card fraud|insurance fraud)`),
];
