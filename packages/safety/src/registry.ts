/**
 * The detector registry: runs the detectors that find the requested entities over one text, keeps
 * only requested entities and resolves overlaps between detectors.
 *
 * @example
 * const registry = createRegistry();
 * registry.detect("mail jane@example.com", { entities: ["EMAIL"] });
 * // [{ entity: "EMAIL", start: 5, end: 21, text: "jane@example.com", score: 0.9, validator: "email-syntax" }]
 */
import { creditCardDetector } from "./detectors/card.js";
import { cryptoWalletDetector } from "./detectors/crypto-wallet.js";
import { emailDetector } from "./detectors/email.js";
import { ibanDetector } from "./detectors/iban.js";
import { ipAddressDetector } from "./detectors/ip.js";
import { jwtDetector } from "./detectors/jwt.js";
import { macAddressDetector } from "./detectors/mac.js";
import { type PhoneDetectorOptions, phoneDetector } from "./detectors/phone.js";
import { privateKeyDetector } from "./detectors/private-key.js";
import { secretAssignmentDetector } from "./detectors/secret-assignment.js";
import { usSsnDetector } from "./detectors/ssn.js";
import {
  awsAccessKeyDetector,
  githubTokenDetector,
  gitlabTokenDetector,
  googleApiKeyDetector,
  slackTokenDetector,
  stripeKeyDetector,
} from "./detectors/tokens.js";
import { urlCredentialsDetector } from "./detectors/url-credentials.js";
import { resolveOverlaps } from "./overlap.js";
import type { Detector, Entity, Finding } from "./types.js";

export type DefaultDetectorOptions = PhoneDetectorOptions;

/** Every detector of this package, one or more per entity. */
export function defaultDetectors(options: DefaultDetectorOptions = {}): Detector[] {
  return [
    emailDetector,
    phoneDetector(options),
    creditCardDetector,
    ibanDetector,
    usSsnDetector,
    ipAddressDetector,
    macAddressDetector,
    urlCredentialsDetector,
    cryptoWalletDetector,
    awsAccessKeyDetector,
    githubTokenDetector,
    gitlabTokenDetector,
    slackTokenDetector,
    stripeKeyDetector,
    googleApiKeyDetector,
    jwtDetector,
    privateKeyDetector,
    secretAssignmentDetector,
  ];
}

export interface DetectOptions {
  /** Which entities to look for. @default every entity a registered detector finds */
  readonly entities?: readonly Entity[];
  /** Keep overlapping findings instead of resolving them. @default false */
  readonly keepOverlaps?: boolean;
}

export interface Registry {
  readonly detectors: readonly Detector[];
  /** Findings in `text`, sorted by start, overlaps resolved (see `resolveOverlaps`). */
  detect(text: string, options?: DetectOptions): Finding[];
}

/** A registry over `detectors` (by default every detector of this package). */
export function createRegistry(detectors: readonly Detector[] = defaultDetectors()): Registry {
  return {
    detectors,
    detect(text: string, options: DetectOptions = {}): Finding[] {
      const wanted = options.entities === undefined ? undefined : new Set<Entity>(options.entities);
      const findings: Finding[] = [];
      for (const detector of detectors) {
        if (wanted !== undefined && !detector.entities.some((e) => wanted.has(e))) continue;
        for (const f of detector.detect(text)) {
          if (wanted === undefined || wanted.has(f.entity)) findings.push(f);
        }
      }
      if (options.keepOverlaps === true) return findings.sort((a, b) => a.start - b.start || a.end - b.end);
      return resolveOverlaps(findings);
    },
  };
}
