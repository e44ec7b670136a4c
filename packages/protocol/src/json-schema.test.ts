import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { capturingClient } from "../test/openai-capture.js";
import { REQUEST_SCHEMAS, requestJsonSchema } from "./json-schema.js";

const ajv = new Ajv2020({ strict: false, allErrors: true });

describe("requestJsonSchema", () => {
  it.each(Object.keys(REQUEST_SCHEMAS) as Array<keyof typeof REQUEST_SCHEMAS>)(
    "%s is a valid draft 2020-12 schema",
    (name) => {
      const schema = requestJsonSchema(name);
      expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(() => ajv.compile(schema)).not.toThrow();
    },
  );

  it("agrees with zod on a body the openai client sends and on malformed ones", async () => {
    const { client, requests } = capturingClient({ json: {} });
    await client.chat.completions
      .create({
        model: "gemma",
        messages: [
          { role: "system", content: "s" },
          { role: "user", content: [{ type: "text", text: "hi" }] },
        ],
        temperature: 0.2,
        stop: ["x"],
        tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      })
      .catch(() => undefined); // the empty answer does not matter: the body was captured
    const validate = ajv.compile(requestJsonSchema("chat-completion-request"));
    const bodies: unknown[] = [
      requests[0]?.body,
      { model: "g", messages: [] },
      { model: "g", messages: [{ role: "robot", content: "x" }] },
      { model: "g", messages: [{ role: "user", content: "x" }], temperature: 9 },
      { model: "g", messages: [{ role: "user", content: "x" }], temperature: null, n: null },
    ];
    for (const body of bodies) {
      expect(validate(body), JSON.stringify(body)).toBe(
        REQUEST_SCHEMAS["chat-completion-request"].safeParse(body).success,
      );
    }
    expect(validate(requests[0]?.body)).toBe(true);
  });

  it("lists the required fields of each request", () => {
    expect(requestJsonSchema("chat-completion-request").required).toEqual(["model", "messages"]);
    expect(requestJsonSchema("completion-request").required).toEqual(["model", "prompt"]);
    expect(requestJsonSchema("moderation-request").required).toEqual(["input"]);
  });
});
