/**
 * Runs the official `openai` npm client against a fake `fetch`: records the exact request bodies it
 * sends and answers with bodies we build from our own schemas, so tests prove both directions.
 */
import OpenAI from "openai";

export interface CapturedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An answer for the fake server: a JSON body, or SSE events (each is sent as `data: <json>`). */
export type FakeAnswer = { json: unknown; status?: number } | { events: unknown[] };

export function capturingClient(answer: FakeAnswer): { client: OpenAI; requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const text = typeof init?.body === "string" ? init.body : "";
    requests.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers,
      body: text === "" ? undefined : JSON.parse(text),
    });
    if ("json" in answer) {
      return new Response(JSON.stringify(answer.json), {
        status: answer.status ?? 200,
        headers: { "content-type": "application/json" },
      });
    }
    const sse = `${answer.events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("")}data: [DONE]\n\n`;
    return new Response(sse, { headers: { "content-type": "text/event-stream" } });
  };
  const client = new OpenAI({
    apiKey: "sk-test",
    baseURL: "http://127.0.0.1:8787/v1",
    fetch: fakeFetch,
    maxRetries: 0,
  });
  return { client, requests };
}
