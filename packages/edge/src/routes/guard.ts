/**
 * The input half of the safety pipeline for a route: the API key's policy ▸ `guardInput` ▸ a 400 with
 * `code: "content_filter"` and the findings when it blocks (enforce mode), else the messages to send on (redacted or
 * pseudonymized) and the `Guard` the output stage needs.
 */
import type { ChatMessage, GemmaEdgeModeration } from "@gemma-edge/protocol";
import { type GuardOptions, guardInput, type Policy, PolicyError } from "@gemma-edge/safety";
import type { Context } from "hono";
import { httpError } from "../errors.js";
import { type Logger, moderationFields } from "../middleware/logger/index.js";
import type { PolicyStore } from "../policies.js";
import type { Guard } from "./generation.js";

/**
 * The API key's policy. A missing one, or one the store holds but cannot parse (a hand-edited KV entry), is the
 * operator's fault: a 500 with `policy_missing` / `policy_invalid`, and for the latter an error log naming the policy
 * and its first issue.
 */
export async function policyFor(c: Context, store: PolicyStore, log?: Logger): Promise<Policy> {
  const id = c.get("apiKey")?.policyId ?? "default";
  let policy: Policy | undefined;
  try {
    policy = await store.get(id);
  } catch (error) {
    if (!PolicyError.isInstance(error)) throw error;
    log?.({
      ts: new Date().toISOString(),
      level: "error",
      msg: "invalid policy in the store",
      request_id: c.get("requestId"),
      policy_id: id,
      error: error.message,
    });
    throw httpError(500, {
      message: "The moderation policy of this API key is invalid; the operator must fix it.",
      type: "server_error",
      code: "policy_invalid",
    });
  }
  if (!policy) {
    throw httpError(500, {
      message: "The moderation policy of this API key is missing.",
      type: "server_error",
      code: "policy_missing",
    });
  }
  return policy;
}

export async function guardRequest(
  c: Context,
  store: PolicyStore,
  log: Logger,
  messages: readonly ChatMessage[],
  options: GuardOptions = {},
): Promise<{ messages: ChatMessage[]; guard: Guard }> {
  const policy = await policyFor(c, store, log);
  const result = await guardInput(messages, policy, options);
  c.set("moderation", result.moderation);
  if (result.decision === "block" && policy.mode === "enforce") {
    throw httpError(400, {
      message: policy.blockedMessage,
      type: "content_filter_error",
      code: "content_filter",
      param: "messages",
      extra: { gemma_edge: result.moderation },
    });
  }
  const onFinish = (moderation: GemmaEdgeModeration) => {
    log({
      ts: new Date().toISOString(),
      level: "info",
      msg: "generation finished",
      request_id: c.get("requestId"),
      key_id: c.get("apiKey")?.id,
      ...moderationFields(moderation),
    });
  };
  return {
    messages: result.messages,
    guard: { policy, vault: result.vault, input: result.moderation, prompt: result.prompt, options, onFinish },
  };
}
