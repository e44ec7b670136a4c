import { describe, expect, it } from "vitest";
import * as errors from "./errors.js";

describe("typed errors", () => {
  it("every error is a ModelFileError with a stable name equal to its class name", () => {
    for (const [className, Ctor] of Object.entries(errors)) {
      const e = new (Ctor as new (m: string, a?: string, b?: string) => Error)("m", "x", "y");
      expect(errors.ModelFileError.isInstance(e), className).toBe(true);
      expect(e.name).toBe(className);
      expect(e).toBeInstanceOf(Error);
    }
  });

  it("isInstance works across copies of the package (by the registered symbol)", () => {
    const foreign = { [Symbol.for("gemma-edge.gemma.model-file-error")]: true };
    expect(errors.ModelFileError.isInstance(foreign)).toBe(true);
    expect(errors.ModelFileError.isInstance(new Error("x"))).toBe(false);
    expect(errors.ModelFileError.isInstance(null)).toBe(false);
  });
});
