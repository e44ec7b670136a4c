// A stand-in for the Workers AI binding (`env.AI`), given to the worker under test as a Miniflare wrapped binding: it
// runs in the worker's own isolate, like the real binding's client, and streams what Workers AI streams — SSE events
// `data: {"response":"…"}`, a last one with `usage`, then `data: [DONE]`, each event split across two chunks.
// It answers the last user message back word by word; a message ending in "#inputs" is answered with one word, the
// base64 of the JSON inputs it was given, so a test sees the prompt the model got (base64: the output guard leaves it
// alone). MODELS (comma-separated) are the models it serves; others throw Workers AI's "5007: No such model".
export default function fakeWorkersAi(env) {
  const models = String(env.MODELS ?? "").split(",");
  return {
    async run(model, inputs) {
      if (!models.includes(model)) throw new Error(`5007: No such model ${model} or task`);
      if (inputs.stream !== true) throw new Error("this fake only streams");
      const text = inputs.messages ? inputs.messages.at(-1).content : inputs.prompt;
      const words = text.endsWith("#inputs") ? [base64(JSON.stringify(inputs))] : (text.match(/\S+\s*/g) ?? []);
      const answer = words.slice(0, inputs.max_tokens);
      const usage = { prompt_tokens: 7, completion_tokens: answer.length, total_tokens: 7 + answer.length };
      const events = [
        ...answer.map((w) => `data: ${JSON.stringify({ response: w })}\n\n`),
        `data: ${JSON.stringify({ response: "", usage })}\n\n`,
        "data: [DONE]\n\n",
      ];
      const chunks = events.flatMap((e) => [e.slice(0, e.length >> 1), e.slice(e.length >> 1)]);
      const encoder = new TextEncoder();
      return new ReadableStream({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk === undefined) controller.close();
          else controller.enqueue(encoder.encode(chunk));
        },
      });
    },
  };
}

function base64(text) {
  return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(""));
}
