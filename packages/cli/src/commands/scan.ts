/**
 * `gemma-edge scan [--policy FILE] [--stage input|output] [--json]`: the policy's entity detectors and classifiers
 * over standard input. With --json: `{"findings":[{"entity"|"category","start","end","text","score","action"}],
 * "redacted":"…","decision":"…"}`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_POLICY, guardInput, guardOutput, type Policy, parsePolicy } from "@gemma-edge/safety";
import { type Io, UsageError } from "../io.js";

export async function scan(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { policy: { type: "string" }, stage: { type: "string" }, json: { type: "boolean" } },
  });
  const stage = values.stage ?? "input";
  if (stage !== "input" && stage !== "output") throw new UsageError("--stage must be input or output");
  let policy: Policy = DEFAULT_POLICY;
  if (values.policy) policy = parsePolicy(readFileSync(values.policy, "utf8"));
  const text = await io.readStdin();
  let redacted: string;
  let decision: string;
  let findings: Array<Record<string, unknown>>;
  if (stage === "input") {
    const result = await guardInput([{ role: "user", content: text }], policy);
    const content = result.messages[0]?.content;
    redacted = typeof content === "string" ? content : text;
    decision = result.decision;
    findings = result.findings.map((f) => finding(f, text));
  } else {
    const result = await guardOutput(text, policy);
    redacted = result.text;
    decision = result.finish.moderation.decision;
    findings = result.finish.moderation.findings.map((f) => finding(f, text));
  }
  if (values.json) io.stdout(`${JSON.stringify({ findings, redacted, decision })}\n`);
  else {
    for (const f of findings)
      io.stdout(
        `${String(f.entity ?? f.category)}\t${f.start}-${f.end}\t${f.score}\t${f.action}\t${JSON.stringify(f.text)}\n`,
      );
    io.stdout(`decision: ${decision}\n${redacted}\n`);
  }
  return 0;
}

type WireFinding = Awaited<ReturnType<typeof guardInput>>["findings"][number];

/** The CLI's finding shape: the wire finding plus the matched text (the user's own input, shown back to them). */
function finding(f: WireFinding, text: string): Record<string, unknown> {
  const start = f.span?.start ?? 0;
  const end = f.span?.end ?? text.length;
  const what = f.kind === "entity" ? { entity: f.entity } : { category: f.category };
  return { ...what, start, end, text: text.slice(start, end), score: f.score, action: f.action };
}
