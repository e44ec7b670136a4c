/** `GET / PUT / DELETE /v1/policies/:id` (admin key only): read, replace and remove moderation policies. */
import { PolicyError, parsePolicy } from "@gemma-edge/safety";
import type { Handler } from "hono";
import { httpError } from "../errors.js";
import type { PolicyStore } from "../policies.js";

const notFound = (id: string) =>
  httpError(404, {
    message: `No policy \`${id.slice(0, 128)}\`.`,
    type: "not_found_error",
    code: "policy_not_found",
    param: "id",
  });

export function getPolicy(store: PolicyStore): Handler {
  return async function getPolicy(c) {
    const id = c.req.param("id") ?? "";
    const policy = await store.get(id);
    if (!policy) throw notFound(id);
    return c.json(policy);
  };
}

export function putPolicy(store: PolicyStore): Handler {
  return async function putPolicy(c) {
    const id = c.req.param("id") ?? "";
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
    } catch {
      throw httpError(400, {
        message: "The policy is not valid UTF-8.",
        type: "invalid_request_error",
        code: "invalid_encoding",
      });
    }
    let policy: ReturnType<typeof parsePolicy>;
    try {
      policy = parsePolicy(text);
    } catch (error) {
      if (!PolicyError.isInstance(error)) throw error;
      const first = error.issues[0];
      throw httpError(400, {
        message: error.message,
        type: "invalid_request_error",
        code: "invalid_policy",
        param: first?.param || null,
        extra: { issues: [...error.issues] },
      });
    }
    if (policy.id !== id) {
      throw httpError(400, {
        message: `The policy's id (${policy.id}) differs from the URL's (${id.slice(0, 128)}).`,
        type: "invalid_request_error",
        code: "policy_id_mismatch",
        param: "id",
      });
    }
    await store.put(policy);
    return c.json(policy);
  };
}

export function deletePolicy(store: PolicyStore): Handler {
  return async function deletePolicy(c) {
    const id = c.req.param("id") ?? "";
    if (!(await store.delete(id))) throw notFound(id);
    return c.json({ id, deleted: true });
  };
}
