/**
 * Payment card brands by IIN (issuer identification number) prefix ranges and allowed lengths.
 * Ranges are compared on the leading digits, longest prefixes listed where brands overlap.
 */

interface Brand {
  readonly name: string;
  /** Inclusive ranges of the first `digits` digits. */
  readonly ranges: readonly (readonly [from: number, to: number, digits: number])[];
  readonly lengths: readonly number[];
}

const BRANDS: readonly Brand[] = [
  {
    name: "amex",
    ranges: [
      [34, 34, 2],
      [37, 37, 2],
    ],
    lengths: [15],
  },
  {
    name: "diners",
    ranges: [
      [300, 305, 3],
      [36, 36, 2],
      [38, 39, 2],
    ],
    lengths: [14, 16, 17, 18, 19],
  },
  { name: "jcb", ranges: [[3528, 3589, 4]], lengths: [16, 17, 18, 19] },
  { name: "visa", ranges: [[4, 4, 1]], lengths: [13, 16, 19] },
  {
    name: "mastercard",
    ranges: [
      [51, 55, 2],
      [2221, 2720, 4],
    ],
    lengths: [16],
  },
  {
    name: "maestro",
    ranges: [
      [5018, 5018, 4],
      [5020, 5020, 4],
      [5038, 5038, 4],
      [5893, 5893, 4],
      [6304, 6304, 4],
      [6759, 6759, 4],
      [6761, 6763, 4],
    ],
    lengths: [13, 14, 15, 16, 17, 18, 19],
  },
  {
    name: "discover",
    ranges: [
      [6011, 6011, 4],
      [644, 649, 3],
      [65, 65, 2],
      [622126, 622925, 6],
    ],
    lengths: [16, 17, 18, 19],
  },
  {
    name: "unionpay",
    ranges: [
      [62, 62, 2],
      [81, 81, 2],
    ],
    lengths: [16, 17, 18, 19],
  },
  { name: "mir", ranges: [[2200, 2204, 4]], lengths: [16, 17, 18, 19] },
];

/** The brand of a card number (ASCII digits only) whose prefix and length fit one, else undefined. */
export function cardBrand(digits: string): string | undefined {
  for (const brand of BRANDS) {
    if (!brand.lengths.includes(digits.length)) continue;
    for (const [from, to, n] of brand.ranges) {
      const prefix = Number(digits.slice(0, n));
      if (prefix >= from && prefix <= to) return brand.name;
    }
  }
  return undefined;
}
