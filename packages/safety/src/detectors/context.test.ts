import { describe, expect, it } from "vitest";
import { contextDistance, LEFT_WINDOW, nearerContext, RIGHT_CONTEXT } from "./context.js";

const SSN = /\bssn\b/gi;
const TICKET = /\bticket\b/gi;

/** Distance of `words` from the first occurrence of `value` in `text`. */
function distance(text: string, value: string, words: RegExp): number {
  const start = text.indexOf(value);
  return contextDistance(text, start, start + value.length, words);
}

describe("contextDistance", () => {
  it("measures to the nearest word before or after the value", () => {
    expect(distance("SSN: 536221849", "536221849", SSN)).toBe(2);
    expect(distance("536221849 (SSN)", "536221849", SSN)).toBe(2);
    expect(distance("SSN 1 SSN: 536221849, SSN", "536221849", SSN)).toBe(2);
    expect(distance("no words here 536221849", "536221849", SSN)).toBe(Number.POSITIVE_INFINITY);
  });

  it("reads only its windows", () => {
    expect(distance(`SSN${" ".repeat(LEFT_WINDOW)}536221849`, "536221849", SSN)).toBe(Number.POSITIVE_INFINITY);
    expect(distance(`SSN${" ".repeat(LEFT_WINDOW - 3)}536221849`, "536221849", SSN)).toBe(LEFT_WINDOW - 3);
    expect(distance(`536221849${" ".repeat(RIGHT_CONTEXT)}SSN`, "536221849", SSN)).toBe(Number.POSITIVE_INFINITY);
    expect(distance(`536221849${" ".repeat(RIGHT_CONTEXT - 3)}SSN`, "536221849", SSN)).toBe(RIGHT_CONTEXT - 3);
  });

  it("skips a word that is about another number", () => {
    // after: the word names its own number
    expect(distance("536221849? It's from ticket #12", "536221849", TICKET)).toBe(Number.POSITIVE_INFINITY);
    expect(distance('536221849, "ticket": "+12"', "536221849", TICKET)).toBe(Number.POSITIVE_INFINITY);
    expect(distance("536221849? It's the ticket.", "536221849", TICKET)).toBe(11);
    // before: another number or a sentence end stands between
    expect(distance("ticket 77 and 536221849", "536221849", TICKET)).toBe(Number.POSITIVE_INFINITY);
    expect(distance("That was the ticket. Check 536221849", "536221849", TICKET)).toBe(Number.POSITIVE_INFINITY);
    expect(distance("チケットです。536221849", "536221849", /チケット/g)).toBe(Number.POSITIVE_INFINITY);
    expect(distance("ticket #536221849", "536221849", TICKET)).toBe(2);
  });
});

describe("nearerContext", () => {
  it("says which list stands nearer, and neither on a tie or with no word", () => {
    expect(nearerContext("ticket 536221849, not the SSN", 7, 16, SSN, TICKET)).toBe("second");
    expect(nearerContext("ticket, SSN 536221849", 12, 21, SSN, TICKET)).toBe("first");
    expect(nearerContext("536221849", 0, 9, SSN, TICKET)).toBeUndefined();
  });
});
