/**
 * The browser chat in headless Chromium (Debian's chromium via playwright-core): the page built by Vite with this
 * package's config and served by `vite preview` from 127.0.0.1 (COOP/COEP, so cross-origin isolated). Remote mode talks
 * to a real edge server on loopback (a scripted model whose answer holds an email address; a policy that pseudonymizes
 * emails in prompts and redacts them from answers; CORS for the page). Local mode loads the demo model the config
 * serves at /models/demo.gguf (generated into a temporary $GEMMA_EDGE_CACHE) into the SDK's Web Worker. Screenshots of
 * both go to test-artifacts/.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, memoryPolicyStore, sha256Hex } from "@gemma-edge/edge";
import { type RunningServer, serveNode } from "@gemma-edge/edge/node";
import { type ScriptedBackend, scriptedBackend } from "@gemma-edge/edge/test";
import type { Page } from "playwright-core";
import { build, type PreviewServer, preview } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, launchChromium } from "../../../test-support/chromium.js";
import { browserChatConfig } from "../vite.config.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const API_KEY = "sk-browser-chat-test";
const POLICY = {
  id: "browser-chat-test",
  input: { entities: { EMAIL: "pseudonymize" } },
  output: { entities: { EMAIL: "redact" }, classifiers: {} },
  streaming: { holdBackChars: 32 },
} as const;
/** The scripted model's answer, word by word. */
const ANSWER = (
  "Thanks, I have noted your address and passed your question on to the team. If anything is urgent, " +
  "write to support@example.com and someone will get back to you within one working day. Have a good afternoon!"
).split(/(?= )/);

let tmp: string;
let backend: ScriptedBackend;
let edge: RunningServer;
let server: PreviewServer;
let browser: Chromium;
let pageURL: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "browser-chat-test-"));
  process.env.GEMMA_EDGE_CACHE = join(tmp, "cache"); // where the config's demoModelPath() generates the model
  const port = await freePort();
  pageURL = `http://127.0.0.1:${port}`;
  backend = scriptedBackend({ model: "scripted", deltas: ANSWER, delayMs: 25 });
  const app = createApp({
    backend,
    keys: [{ id: "page", policyId: POLICY.id, sha256: await sha256Hex(API_KEY) }],
    policies: memoryPolicyStore([POLICY]),
    corsOrigins: pageURL,
    logger: () => {},
  });
  edge = await serveNode(app, { port: 0 });

  const config = {
    ...browserChatConfig({ edgeURL: `${edge.url}/v1` }),
    configFile: false as const,
    logLevel: "warn" as const,
  };
  const outDir = join(tmp, "dist");
  await build({ ...config, build: { ...config.build, outDir, emptyOutDir: true } });
  server = await preview({ ...config, build: { outDir }, preview: { ...config.preview, port, strictPort: true } });
  browser = await launchChromium(["--enable-unsafe-webgpu"]);
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await edge?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("examples/browser-chat", () => {
  it("remote mode: streams the answer, shows the redaction and the findings, stops an answer", async () => {
    const page = await openPage();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // the preview server proxies /v1 to the edge (what `npm run dev` does for `npm start`)
    const proxied = await page.evaluate(
      (key) => fetch("/v1/models", { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status),
      API_KEY,
    );
    expect(proxied).toBe(200);

    // …but this page talks to the edge's own origin, through CORS
    await page.fill("#base-url", `${edge.url}/v1`);
    await page.fill("#api-key", API_KEY);
    const lengths = await recordLengths(page, 1);
    await page.fill("#message", "Please confirm my address: jane.doe@example.com");
    await page.click("#send");
    const answer = page.locator(".message.assistant").nth(0);
    await answer.and(page.locator('[data-state="done"]')).waitFor();

    const text = await answer.locator(".text").textContent();
    expect(text).toContain("write to [EMAIL] and someone");
    expect(text).not.toContain("@");
    expect(new Set(await lengths()).size).toBeGreaterThanOrEqual(3); // it grew in steps: streamed
    expect(await answer.locator(".note").textContent()).toBe("policy browser-chat-test changed this turn (2 findings)");
    const findings = page.locator("#findings > li").first();
    expect(await findings.locator("p").textContent()).toBe("turn 1 · policy browser-chat-test · modify");
    expect(await findings.locator("li").allTextContents()).toEqual([
      "input · EMAIL · pseudonymized",
      "output_stream · EMAIL · redacted",
    ]);

    // Stop aborts the stream, and with it the generation on the server
    await page.fill("#message", "And once more, please");
    await page.click("#send");
    const second = page.locator(".message.assistant").nth(1);
    await page.waitForFunction(
      () => (document.querySelectorAll(".message.assistant .text")[1]?.textContent ?? "") !== "",
    );
    await page.click("#stop");
    await second.and(page.locator('[data-state="stopped"]')).waitFor();
    expect(((await second.locator(".text").textContent()) ?? "").length).toBeLessThan(ANSWER.join("").length);
    await expect.poll(() => backend.aborted).toBe(1);
    expect(await page.isEnabled("#send")).toBe(true);

    await screenshot(page, "remote");
    await page.close();
  });

  it("local mode: loads the model with progress, streams an answer, shows the input finding", async () => {
    const page = await openPage();
    await page.check('input[name="mode"][value="local"]');
    await page.evaluate(() => {
      const seen: string[] = [];
      const status = document.getElementById("load-status") as HTMLElement;
      new MutationObserver(() => seen.push(status.textContent ?? "")).observe(status, { childList: true });
      (window as unknown as { loadLabels: string[] }).loadLabels = seen;
    });
    await page.click("#load");
    await page.waitForFunction(() => document.getElementById("load-status")?.textContent?.startsWith("Ready"), null, {
      timeout: 60_000,
    });
    expect(await page.textContent("#load-status")).toMatch(/^Ready · wasm, \d threads? · gemma2, [\d.]+M parameters$/);
    expect(await page.evaluate(() => (document.getElementById("load-progress") as HTMLProgressElement).value)).toBe(1);
    const seen = await page.evaluate(() => (window as unknown as { loadLabels: string[] }).loadLabels);
    expect(seen.some((l) => l.startsWith("Downloading"))).toBe(true);
    expect(seen.some((l) => l.startsWith("Loading the weights"))).toBe(true);

    const lengths = await recordLengths(page, 1);
    await page.fill("#max-tokens", "64");
    await page.fill("#message", "Write to jane.doe@example.com for me");
    await page.click("#send");
    const answer = page.locator(".message.assistant").nth(0);
    await answer.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    expect(((await answer.locator(".text").textContent()) ?? "").length).toBeGreaterThan(0);
    expect(new Set(await lengths()).size).toBeGreaterThanOrEqual(2);
    const findings = page.locator("#findings > li").first();
    expect(await findings.locator("p").textContent()).toBe("turn 1 · policy browser-chat · modify");
    expect(await findings.locator("li").allTextContents()).toContain("input · EMAIL · pseudonymized");

    await screenshot(page, "local");
    await page.close();
  });
});

async function openPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 720 });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(pageURL);
  expect(errors).toEqual([]);
  return page;
}

/**
 * Records the text length of the `n`-th assistant message each time the transcript changes; the returned function
 * reads the lengths seen so far (a streamed answer shows several).
 */
async function recordLengths(page: Page, n: number): Promise<() => Promise<number[]>> {
  await page.evaluate((n) => {
    const seen: number[] = [];
    const transcript = document.getElementById("transcript") as HTMLElement;
    new MutationObserver(() => {
      const text = document.querySelectorAll(".message.assistant .text")[n - 1]?.textContent ?? "";
      if (text !== "" && seen.at(-1) !== text.length) seen.push(text.length);
    }).observe(transcript, { childList: true, subtree: true, characterData: true });
    (window as unknown as { lengths: number[] }).lengths = seen;
  }, n);
  return () => page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
}

/** Saves a screenshot of the page to test-artifacts/<name>.png and checks it is a PNG with something in it. */
async function screenshot(page: Page, name: string) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.info(`screenshot: ${path}`);
  const png = await readFile(path);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.length).toBeGreaterThan(10_000);
}

/** A free TCP port on 127.0.0.1 (the page's origin must be known before the edge that allows it starts). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
