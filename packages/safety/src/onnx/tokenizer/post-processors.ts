/**
 * `tokenizer.json` post-processors for one sequence: the special tokens around it and the token type ids.
 * `TemplateProcessing` (BERT's and most newer files), `BertProcessing` ([CLS] … [SEP]), `RobertaProcessing`
 * (<s> … </s>), `ByteLevel` (offsets only: no change to ids) and `Sequence` of those.
 */
import { OnnxConfigError, UnsupportedTokenizerError } from "../errors.js";

export interface Encoding {
  /** Token ids, special tokens included. */
  readonly ids: number[];
  /** Segment ids (`token_type_ids`), one per id. */
  readonly typeIds: number[];
}

export type PostProcess = (sequence: Encoding) => Encoding;

interface PostProcessorJson {
  readonly type?: unknown;
  readonly [key: string]: unknown;
}

function pairId(value: unknown, what: string): number {
  if (Array.isArray(value) && typeof value[1] === "number") return value[1];
  throw new OnnxConfigError(`tokenizer.json post_processor ${what} must be ["token", id]`);
}

function wrap(first: number, last: number): PostProcess {
  return ({ ids }) => ({ ids: [first, ...ids, last], typeIds: new Array<number>(ids.length + 2).fill(0) });
}

/** `TemplateProcessing`'s `single` template: special tokens (each one or more ids) and the sequence `A`. */
function template(json: PostProcessorJson): PostProcess {
  const single = Array.isArray(json.single)
    ? (json.single as Record<string, { id?: unknown; type_id?: unknown }>[])
    : [];
  const specials = (json.special_tokens ?? {}) as Record<string, { ids?: unknown }>;
  const parts = single.map((piece) => {
    const special = piece.SpecialToken;
    const typeId =
      typeof (special ?? piece.Sequence)?.type_id === "number" ? Number((special ?? piece.Sequence)?.type_id) : 0;
    if (special === undefined) return { sequence: true as const, typeId };
    const ids = specials[String(special.id)]?.ids;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "number")) {
      throw new OnnxConfigError(
        `tokenizer.json TemplateProcessing has no ids for special token "${String(special.id)}"`,
      );
    }
    return { sequence: false as const, typeId, ids: ids as number[] };
  });
  return (sequence) => {
    const ids: number[] = [];
    const typeIds: number[] = [];
    for (const part of parts) {
      for (const id of part.sequence ? sequence.ids : part.ids) {
        ids.push(id);
        typeIds.push(part.typeId);
      }
    }
    return { ids, typeIds };
  };
}

/** The post-processor of a `tokenizer.json` `post_processor` entry (null: the sequence as it is). */
export function createPostProcessor(json: unknown): PostProcess {
  const identity: PostProcess = ({ ids }) => ({ ids: [...ids], typeIds: new Array<number>(ids.length).fill(0) });
  if (json === null || json === undefined) return identity;
  const p = json as PostProcessorJson;
  switch (p.type) {
    case "TemplateProcessing":
      return template(p);
    case "BertProcessing":
    case "RobertaProcessing":
      return wrap(pairId(p.cls, "cls"), pairId(p.sep, "sep"));
    case "ByteLevel":
      return identity;
    case "Sequence": {
      const steps = (Array.isArray(p.processors) ? p.processors : []).map(createPostProcessor);
      return (sequence) => steps.reduce((encoding, step) => step(encoding), identity(sequence));
    }
    default:
      throw new UnsupportedTokenizerError("post_processor", String(p.type));
  }
}
