/**
 * The per-request pseudonym vault: the same entity value gets the same placeholder (`[EMAIL_1]`,
 * `[EMAIL_2]`, …) for the life of one vault, and `restore` turns placeholders back into the values,
 * e.g. in the model's answer before it reaches the caller. Create one vault per request; never share
 * one between callers.
 */
import type { Entity } from "../types.js";

const PLACEHOLDER = /\[([A-Z][A-Z0-9_]{0,39})_(\d{1,9})\]/g;

export class Vault {
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  readonly #counters = new Map<string, number>();

  /**
   * The placeholder of `value` as an `entity`, assigning the next number on first sight.
   *
   * @example
   * const vault = new Vault();
   * vault.pseudonym("EMAIL", "a@x.io"); // "[EMAIL_1]"
   * vault.pseudonym("EMAIL", "b@x.io"); // "[EMAIL_2]"
   * vault.pseudonym("EMAIL", "a@x.io"); // "[EMAIL_1]"
   */
  pseudonym(entity: Entity, value: string): string {
    const key = `${entity}\u0000${value}`;
    const known = this.#byValue.get(key);
    if (known !== undefined) return known;
    const n = (this.#counters.get(entity) ?? 0) + 1;
    this.#counters.set(entity, n);
    const placeholder = `[${entity}_${n}]`;
    this.#byValue.set(key, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  /** The original value of a placeholder this vault issued, or undefined. */
  lookup(placeholder: string): string | undefined {
    return this.#byPlaceholder.get(placeholder);
  }

  /** `text` with every placeholder this vault issued replaced by its value; other text is untouched. */
  restore(text: string): string {
    return text.replace(PLACEHOLDER, (placeholder) => this.#byPlaceholder.get(placeholder) ?? placeholder);
  }

  /** How many distinct values the vault holds. */
  get size(): number {
    return this.#byPlaceholder.size;
  }
}
