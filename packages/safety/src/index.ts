/**
 * @gemma-edge/safety — PII and secret detectors with validators, overlap resolution, the actions a
 * policy applies to findings, harm classifiers, moderation policies and the input/output guard pipeline. Runs in browsers, Workers and
 * Node: no Node APIs; hashing uses Web Crypto.
 */
export * from "./actions/apply.js";
export * from "./actions/hmac.js";
export * from "./actions/vault.js";
export * from "./classifiers/injection.js";
export * from "./classifiers/lexical.js";
export { noisyOr, normalize } from "./classifiers/normalize.js";
export {
  createShieldGemmaClassifier,
  type JudgeRuntime,
  type JudgeTokenizer,
  SHIELDGEMMA_CATEGORIES,
  type ShieldGemmaOptions,
  yesProbability,
} from "./classifiers/shieldgemma.js";
export {
  type JudgedTexts,
  type PromptSegment,
  SHIELDGEMMA_POLICIES,
  type ShieldGemmaVariant,
  shieldGemmaGuideline,
  shieldGemmaPrompt,
  shieldGemmaSegments,
} from "./classifiers/shieldgemma-template.js";
export * from "./classifiers/taxonomy.js";
export * from "./classifiers/types.js";
export { creditCardDetector } from "./detectors/card.js";
export { cryptoWalletDetector } from "./detectors/crypto-wallet.js";
export { emailDetector } from "./detectors/email.js";
export { ibanDetector } from "./detectors/iban.js";
export { ipAddressDetector } from "./detectors/ip.js";
export { isJwtHeader, jwtDetector } from "./detectors/jwt.js";
export { macAddressDetector } from "./detectors/mac.js";
export { type PhoneDetectorOptions, phoneDetector } from "./detectors/phone.js";
export { privateKeyDetector } from "./detectors/private-key.js";
export { entropyThreshold, secretAssignmentDetector } from "./detectors/secret-assignment.js";
export { isValidSsn, usSsnDetector } from "./detectors/ssn.js";
export * from "./detectors/tokens.js";
export { urlCredentialsDetector } from "./detectors/url-credentials.js";
export { resolveOverlaps } from "./overlap.js";
export * from "./pipeline/index.js";
export * from "./policy/errors.js";
export * from "./policy/examples.js";
export * from "./policy/schema.js";
export * from "./registry.js";
export * from "./types.js";
export { cardBrand } from "./validators/card-brands.js";
export { isValidIban, mod97 } from "./validators/iban.js";
export { luhn } from "./validators/luhn.js";
