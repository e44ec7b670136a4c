/**
 * What every guard function takes besides the policy: extra classifiers, the secrets the `hash`
 * action names, and the detector registry. Also the shared context the guards derive from them.
 */
import { createHasher } from "../actions/hmac.js";
import type { Vault } from "../actions/vault.js";
import { createInjectionClassifier } from "../classifiers/injection.js";
import { createLexicalClassifier } from "../classifiers/lexical.js";
import type { Classifier } from "../classifiers/types.js";
import { PolicyError } from "../policy/errors.js";
import type { Policy } from "../policy/schema.js";
import { createRegistry, type Registry } from "../registry.js";

export interface GuardOptions {
  /** Classifiers beyond the built-in `lexical` and `injection`, selected by name in the policy (a same name replaces a built-in). */
  readonly classifiers?: readonly Classifier[];
  /** Secrets by name; the policy's `hashKey` names the one the `hash` action uses. */
  readonly hashKeys?: Readonly<Record<string, Uint8Array | string>>;
  /** The detectors to run. @default createRegistry() */
  readonly registry?: Registry;
}

let builtins: Map<string, Classifier> | undefined;
let defaultRegistry: Registry | undefined;

/** The classifiers a stage runs, with their weights. Throws a `PolicyError` for a name nobody provides. */
export function resolveClassifiers(
  weights: Readonly<Record<string, number>>,
  extra: readonly Classifier[] = [],
  where: "input" | "output" = "input",
): { classifier: Classifier; weight: number }[] {
  builtins ??= new Map([createLexicalClassifier(), createInjectionClassifier()].map((c) => [c.name, c]));
  const available = new Map(builtins);
  for (const c of extra) available.set(c.name, c);
  const out: { classifier: Classifier; weight: number }[] = [];
  for (const [name, weight] of Object.entries(weights)) {
    const classifier = available.get(name);
    if (classifier === undefined) {
      const path = [where, "classifiers", name];
      throw new PolicyError([
        {
          path,
          param: path.join("."),
          code: "unknown_classifier",
          message: `no classifier named "${name}" was provided`,
        },
      ]);
    }
    if (weight > 0) out.push({ classifier, weight });
  }
  return out;
}

/** The registry of `options`, or a shared default one. */
export function registryOf(options: GuardOptions): Registry {
  if (options.registry !== undefined) return options.registry;
  defaultRegistry ??= createRegistry();
  return defaultRegistry;
}

/** The HMAC key the policy's `hashKey` names, or undefined when the policy names none. */
export function hashKeyOf(policy: Policy, options: GuardOptions): Uint8Array | string | undefined {
  if (policy.hashKey === undefined) return undefined;
  const key = options.hashKeys?.[policy.hashKey];
  if (key === undefined || !Object.hasOwn(options.hashKeys ?? {}, policy.hashKey)) {
    throw new TypeError(`the policy's hashKey "${policy.hashKey}" is not in options.hashKeys`);
  }
  return key;
}

/** What detecting and applying entity actions needs. */
export interface EntityContext {
  readonly registry: Registry;
  readonly vault: Vault;
  readonly hashKey?: Uint8Array | string;
}

/** Checks a hash key can be built, so a bad key fails before any text is processed. */
export function checkHashKey(key: Uint8Array | string | undefined): void {
  if (key !== undefined) createHasher(key);
}
