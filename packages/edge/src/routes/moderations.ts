/** `POST /v1/moderations`: the API key's policy over each input text, in the OpenAI shape plus findings. */
import { ModerationRequest, type ModerationResponse } from "@gemma-edge/protocol";
import { moderate } from "@gemma-edge/safety";
import type { Handler } from "hono";
import { checkChars, readBody } from "../request.js";
import type { RouteDeps } from "./deps.js";
import { policyFor } from "./guard.js";

export function moderations({ limits, policies, guard, log }: RouteDeps): Handler {
  return async function moderations(c) {
    const body = await readBody(c, ModerationRequest);
    const texts =
      typeof body.input === "string"
        ? [body.input]
        : body.input.map((item) => (typeof item === "string" ? item : item.type === "text" ? item.text : ""));
    checkChars(
      texts.reduce((n, t) => n + t.length, 0),
      limits,
    );
    const policy = await policyFor(c, policies, log);
    const results = await moderate(texts, policy, guard);
    const response: ModerationResponse = {
      id: `modr-${crypto.randomUUID()}`,
      model: body.model ?? `gemma-edge/${policy.id}`,
      results,
    };
    return c.json(response);
  };
}
