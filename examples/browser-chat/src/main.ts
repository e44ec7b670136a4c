/**
 * The browser chat: one transcript, two places the model can run — a gemma-edge server (`createClient`) or this page
 * (`createLocalClient`: the model and the policy in a Web Worker). Answers stream in as they are generated, Stop aborts
 * one, and what the moderation policy found in each turn is listed beside the chat.
 */
import {
  type ChatMessage,
  type Client,
  ContentFilterError,
  createClient,
  type GemmaEdgeModeration,
} from "@gemma-edge/sdk";
import { createLocalClient, type LocalClient } from "@gemma-edge/sdk/local";
import { describeDecision, describeFinding } from "./findings.js";
import { LOCAL_POLICY } from "./policy.js";
import { type BarState, describeProgress } from "./progress.js";

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  remoteSettings: byId("remote-settings"),
  baseURL: byId<HTMLInputElement>("base-url"),
  apiKey: byId<HTMLInputElement>("api-key"),
  remoteStatus: byId("remote-status"),
  localSettings: byId("local-settings"),
  modelURL: byId<HTMLInputElement>("model-url"),
  modelFile: byId<HTMLInputElement>("model-file"),
  load: byId<HTMLButtonElement>("load"),
  bar: byId<HTMLProgressElement>("load-progress"),
  loadStatus: byId("load-status"),
  findings: byId("findings"),
  findingsEmpty: byId("findings-empty"),
  transcript: byId("transcript"),
  composer: byId<HTMLFormElement>("composer"),
  message: byId<HTMLTextAreaElement>("message"),
  maxTokens: byId<HTMLInputElement>("max-tokens"),
  send: byId<HTMLButtonElement>("send"),
  stop: byId<HTMLButtonElement>("stop"),
};

let mode: "remote" | "local" = "remote";
/** The conversation so far (answered turns only). */
const history: ChatMessage[] = [];
let turns = 0;
/** The answer being generated, if any. */
let running: AbortController | undefined;

// ── remote: a client per base URL and key, asking the server's first model ──────────────────────────────────────────
let remote: { key: string; client: Client; model: Promise<string> } | undefined;

function remoteTarget(): { client: Client; model: Promise<string> } {
  const baseURL = ui.baseURL.value.trim();
  const apiKey = ui.apiKey.value.trim();
  const key = `${baseURL}\n${apiKey}`;
  if (remote?.key !== key) {
    const client = createClient({ baseURL, apiKey });
    const model = client.models.list().then((models) => {
      const id = models[0]?.id;
      if (!id) throw new Error("the server lists no models");
      ui.remoteStatus.textContent = `Connected · model ${id}`;
      return id;
    });
    model.catch(() => {
      remote = undefined; // ask again on the next message
    });
    remote = { key, client, model };
  }
  return remote;
}

// ── local: the model in a Web Worker, its loading shown on the progress bar ─────────────────────────────────────────
let local: LocalClient | undefined;

function showBar({ value, label, phase }: BarState) {
  if (value === undefined) ui.bar.removeAttribute("value");
  else ui.bar.value = value;
  ui.bar.dataset.phase = phase;
  ui.loadStatus.textContent = label;
}

function loadLocal() {
  local?.close();
  const model = ui.modelFile.files?.[0] ?? ui.modelURL.value.trim();
  showBar({ value: 0, label: "Starting the engine", phase: "download" });
  const client = createLocalClient({ model, policy: LOCAL_POLICY, onProgress: (p) => showBar(describeProgress(p)) });
  local = client;
  client.ready.catch((error: unknown) => {
    if (local !== client) return;
    local = undefined;
    showBar({ value: 0, label: `Could not load the model: ${messageOf(error)}`, phase: "download" });
  });
}

// ── the transcript ─────────────────────────────────────────────────────────────────────────────────────────────────
interface Bubble {
  text: HTMLElement;
  /** Sets `data-state` (waiting ▸ streaming ▸ done | filtered | refused | stopped | error) and the note below. */
  set(state: string, note: string): void;
}

function addMessage(role: "user" | "assistant", content: string): Bubble {
  const item = document.createElement("li");
  item.className = `message ${role}`;
  item.dataset.state = role === "user" ? "done" : "waiting";
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = content;
  const note = document.createElement("p");
  note.className = "note";
  item.append(text, note);
  ui.transcript.append(item);
  item.scrollIntoView({ block: "end" });
  return {
    text,
    set(state, message) {
      item.dataset.state = state;
      note.textContent = message;
    },
  };
}

function showFindings(turn: number, moderation: GemmaEdgeModeration | undefined) {
  if (!moderation || moderation.findings.length === 0) return;
  const item = document.createElement("li");
  const head = document.createElement("p");
  const shadow = moderation.mode === "shadow" ? " (shadow: not applied)" : "";
  head.textContent = `turn ${turn} · policy ${moderation.policy_id} · ${moderation.decision}${shadow}`;
  const list = document.createElement("ul");
  for (const finding of moderation.findings) {
    const line = document.createElement("li");
    line.textContent = describeFinding(finding);
    line.dataset.action = finding.action;
    list.append(line);
  }
  item.append(head, list);
  ui.findings.prepend(item);
  ui.findingsEmpty.hidden = true;
}

// ── one turn: send, stream the answer in, report what the policy did ───────────────────────────────────────────────
async function send(content: string) {
  const turn = ++turns;
  const question: ChatMessage = { role: "user", content };
  addMessage("user", content);
  const answer = addMessage("assistant", "");
  const controller = new AbortController();
  setRunning(controller);
  let text = "";
  try {
    let client: Client;
    let model: string;
    if (mode === "remote") {
      const target = remoteTarget();
      client = target.client;
      model = await target.model;
    } else {
      if (!local) throw new Error("load a model first");
      client = local;
      model = "gemma-local";
    }
    const stream = await client.chat.completions.create(
      { model, messages: [...history, question], stream: true, max_tokens: Number(ui.maxTokens.value) || 128 },
      { signal: controller.signal },
    );
    answer.set("streaming", "");
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (!delta) continue;
      text += delta;
      answer.text.textContent = text;
      answer.text.scrollIntoView({ block: "end" });
    }
    if (controller.signal.aborted) {
      answer.set("stopped", "stopped");
    } else {
      history.push(question, { role: "assistant", content: text });
      const filtered = stream.finishReason === "content_filter";
      answer.set(filtered ? "filtered" : "done", describeDecision(stream.moderation, stream.finishReason));
    }
    showFindings(turn, stream.moderation);
  } catch (error) {
    if (error instanceof ContentFilterError) {
      answer.set("refused", `refused by the policy: ${error.message}`);
      showFindings(turn, error.moderation);
    } else if (controller.signal.aborted) {
      answer.set("stopped", "stopped");
    } else {
      answer.set("error", `error: ${messageOf(error)}`);
    }
  } finally {
    setRunning(undefined);
  }
}

function setRunning(controller: AbortController | undefined) {
  running = controller;
  ui.send.disabled = controller !== undefined;
  ui.stop.disabled = controller === undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ── wiring ─────────────────────────────────────────────────────────────────────────────────────────────────────────
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  radio.addEventListener("change", () => {
    mode = radio.value === "local" ? "local" : "remote";
    ui.remoteSettings.hidden = mode !== "remote";
    ui.localSettings.hidden = mode !== "local";
  });
}
ui.load.addEventListener("click", loadLocal);
ui.stop.addEventListener("click", () => running?.abort());
ui.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const content = ui.message.value.trim();
  if (content === "" || running) return;
  ui.message.value = "";
  void send(content);
});
ui.message.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});
