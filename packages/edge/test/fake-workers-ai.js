// A stand-in for Cloudflare's Workers AI binding, injected into the worker under test as a Miniflare wrapped binding
// (it runs in the worker's own isolate, like the real binding's client). It streams what Workers AI streams: SSE
// events `data: {"response":"…"}`, a last event with `usage`, then `data: [DONE]` — here echoing the last user
// message word by word, every DELAY_MS. Events are split across chunks to exercise reassembly.
// Special prompts: "capacity" → the binding throws Workers AI's 3040; "inputs?" → answers the inputs it was given.
const MODEL = "@cf/google/gemma-7b-it-lora";

export default function fakeWorkersAi(env) {
  const delayMs = Number(env.DELAY_MS ?? 0);
  return {
    async run(model, inputs) {
      if (model !== MODEL) throw new Error(`5007: No such model ${model} or task`);
      if (inputs.stream !== true) throw new Error("this fake only streams");
      const text = inputs.messages ? inputs.messages.at(-1).content : inputs.prompt;
      if (text.includes("capacity")) throw new Error("3040: Out of capacity");
      const { messages: _, ...rest } = inputs;
      const words = text === "inputs?" ? [JSON.stringify(rest)] : (text.match(/\S+\s*/g) ?? []);
      const limited = words.slice(0, inputs.max_tokens);
      const events = limited.map((w) => `data: ${JSON.stringify({ response: w, p: "abcdef" })}\n\n`);
      const usage = { prompt_tokens: 7, completion_tokens: limited.length, total_tokens: 7 + limited.length };
      events.push(`data: ${JSON.stringify({ response: "", usage })}\n\n`, "data: [DONE]\n\n");
      const encoder = new TextEncoder();
      let i = 0;
      let half = false;
      return new ReadableStream({
        async pull(controller) {
          if (i >= events.length) return controller.close();
          const event = events[i];
          const cut = Math.floor(event.length / 2);
          if (!half) {
            if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
            controller.enqueue(encoder.encode(event.slice(0, cut)));
          } else {
            controller.enqueue(encoder.encode(event.slice(cut)));
            i++;
          }
          half = !half;
        },
      });
    },
  };
}
