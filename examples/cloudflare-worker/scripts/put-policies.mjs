#!/usr/bin/env node
// Uploads policies/*.json into the POLICIES KV namespace as `policy:<id>`, in one `wrangler kv bulk put`. Each file is
// checked against @gemma-edge/safety's policy schema first, so a typo fails here, not as a 500 on the first request.
//
//   node scripts/put-policies.mjs                      the deployed namespace (--remote)
//   node scripts/put-policies.mjs --local              `wrangler dev`'s local namespace
//   node scripts/put-policies.mjs --print              print the bulk file; upload nothing
// Other flags go to wrangler, e.g. `--env staging` or `--local --persist-to .wrangler/state`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parsePolicy } from "@gemma-edge/safety";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = join(root, "policies");

const entries = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const text = readFileSync(join(dir, file), "utf8");
  let policy;
  try {
    policy = parsePolicy(text);
  } catch (error) {
    const issues = error.issues?.map((i) => `\n  ${i.param || "(root)"}: ${i.message}`).join("");
    console.error(`policies/${file}: ${issues ? `invalid policy${issues}` : error.message}`);
    process.exit(1);
  }
  if (file !== `${policy.id}.json`) {
    console.error(`policies/${file}: its id is "${policy.id}"; name the file ${policy.id}.json`);
    process.exit(1);
  }
  // The document as written (defaults are filled in when the worker reads it).
  entries.push({ key: `policy:${policy.id}`, value: JSON.stringify(JSON.parse(text)) });
}

const args = process.argv.slice(2);
if (args.includes("--print")) {
  console.log(JSON.stringify(entries, null, 2));
} else {
  const tmp = mkdtempSync(join(tmpdir(), "gemma-edge-policies-"));
  try {
    const bulk = join(tmp, "policies.json");
    writeFileSync(bulk, JSON.stringify(entries));
    const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
    const where = args.includes("--local") || args.includes("--remote") ? [] : ["--remote"];
    execFileSync(process.execPath, [wrangler, "kv", "bulk", "put", bulk, "--binding", "POLICIES", ...where, ...args], {
      cwd: root,
      stdio: "inherit",
    });
    console.log(`uploaded ${entries.map((e) => e.key).join(", ")}`);
  } catch {
    process.exitCode = 1; // wrangler has said why
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
