import { APIError, BadRequestError } from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { capturingClient } from "../test/openai-capture.js";
import { ErrorBody, formatPath, invalidRequestBody, validationIssues } from "./errors.js";

describe("formatPath", () => {
  it.each([
    [[], ""],
    [["model"], "model"],
    [["messages", 0, "content", 2, "text"], "messages[0].content[2].text"],
    [[3], "[3]"],
  ])("%j → %s", (path, printed) => {
    expect(formatPath(path)).toBe(printed);
  });
});

describe("invalidRequestBody", () => {
  it("names the first issue, counts the rest and is a valid ErrorBody", () => {
    const schema = z.object({ a: z.string(), b: z.number(), c: z.boolean() });
    const body = invalidRequestBody(schema.safeParse({}).error ?? expect.fail("should fail"));
    expect(ErrorBody.parse(body)).toEqual(body);
    expect(body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param: "a" });
    expect(body.error.message).toMatch(/^Invalid request body: a: .*\(and 2 more issues\)$/);
  });

  it("names every accepted type when a union got none of them", () => {
    const schema = z.object({ x: z.union([z.string(), z.array(z.string()), z.null()]) });
    const issues = validationIssues(schema.safeParse({ x: 1 }).error ?? expect.fail("should fail"));
    expect(issues).toEqual([
      { path: ["x"], param: "x", code: "invalid_type", message: "Invalid input: expected string or array or null" },
    ]);
  });
});

describe("ErrorBody through the openai client", () => {
  it("a 400 becomes a BadRequestError with our code, param and message", async () => {
    const body = invalidRequestBody(z.object({ model: z.string() }).safeParse({}).error ?? expect.fail("should fail"));
    const { client } = capturingClient({ json: body, status: 400 });
    const error = await client.chat.completions
      .create({ model: "g", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_request",
      param: "model",
      type: "invalid_request_error",
    });
  });

  it("a refused input keeps code content_filter and the findings", async () => {
    const body = ErrorBody.parse({
      error: {
        message: "The input was blocked by policy strict.",
        type: "content_filter_error",
        code: "content_filter",
        param: "messages",
        gemma_edge: {
          policy_id: "strict",
          mode: "enforce",
          decision: "block",
          findings: [
            {
              kind: "entity",
              stage: "input",
              entity: "US_SSN",
              span: { start: 8, end: 19, message_index: 0 },
              score: 1,
              action: "block",
            },
          ],
        },
      },
    });
    const { client } = capturingClient({ json: body, status: 400 });
    const error = await client.chat.completions
      .create({ model: "g", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).code).toBe("content_filter");
    expect(ErrorBody.shape.error.parse((error as APIError).error).gemma_edge?.findings[0]).toMatchObject({
      entity: "US_SSN",
    });
  });
});
