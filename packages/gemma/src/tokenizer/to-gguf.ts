/**
 * GGUF metadata (`tokenizer.ggml.*`) for a `TokenizerVocab`, in the layout llama.cpp's converter writes for Gemma, so
 * the project's tiny test models carry the real vocabulary and llama.cpp tokenizes them as our `Tokenizer` does.
 */

import type { GgufValue } from "../gguf/types.js";
import { gguf } from "../gguf/writer.js";
import type { TokenizerVocab } from "./vocab.js";

/**
 * The metadata entries describing `vocab`.
 * @example writeGguf({ metadata: { "general.architecture": gguf.string("gemma"), ...vocabToGguf(vocab) }, tensors })
 */
export function vocabToGguf(vocab: TokenizerVocab): Record<string, GgufValue> {
  const meta: Record<string, GgufValue> = {
    "tokenizer.ggml.model": gguf.string("llama"),
    "tokenizer.ggml.tokens": gguf.array("string", [...vocab.tokens]),
    "tokenizer.ggml.scores": gguf.array("f32", Float32Array.from(vocab.scores)),
    "tokenizer.ggml.token_type": gguf.array("i32", Int32Array.from(vocab.types)),
    "tokenizer.ggml.bos_token_id": gguf.u32(vocab.bos),
    "tokenizer.ggml.eos_token_id": gguf.u32(vocab.eos),
  };
  if (vocab.unk !== undefined) meta["tokenizer.ggml.unknown_token_id"] = gguf.u32(vocab.unk);
  if (vocab.pad !== undefined) meta["tokenizer.ggml.padding_token_id"] = gguf.u32(vocab.pad);
  if (vocab.endOfTurn !== undefined) meta["tokenizer.ggml.eot_token_id"] = gguf.u32(vocab.endOfTurn);
  meta["tokenizer.ggml.add_bos_token"] = gguf.bool(vocab.addBos);
  meta["tokenizer.ggml.add_eos_token"] = gguf.bool(false);
  meta["tokenizer.ggml.add_space_prefix"] = gguf.bool(vocab.addSpacePrefix);
  return meta;
}
