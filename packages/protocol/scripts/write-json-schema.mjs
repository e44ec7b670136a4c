// Writes the JSON Schema of each request body to dist/json-schema/<name>.json (run after tsc).
import { mkdirSync, writeFileSync } from "node:fs";
import { REQUEST_SCHEMAS, requestJsonSchema } from "../dist/index.js";

const out = new URL("../dist/json-schema/", import.meta.url);
mkdirSync(out, { recursive: true });
for (const name of Object.keys(REQUEST_SCHEMAS)) {
  writeFileSync(new URL(`${name}.json`, out), `${JSON.stringify(requestJsonSchema(name), null, 2)}\n`);
}
