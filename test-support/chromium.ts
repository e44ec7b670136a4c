/**
 * Headless Chromium for the browser tests of every package: Debian's `chromium` (installed by .ci/run) driven by
 * playwright-core, with a fresh profile and the flags this machine needs (no background networking: the network is
 * closed). `close()` also removes the profile.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(extraArgs: string[] = []): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), "gemma-edge-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Waits for the page to set `window.result` and returns it. */
export async function pageResult<T>(page: import("playwright-core").Page, timeout = 60_000): Promise<T> {
  await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout });
  return (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as T;
}
