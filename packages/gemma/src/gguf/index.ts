/** GGUF: header reader, tensor streaming, writer and the format's types. */
export { Cursor, type CursorOptions } from "./cursor.js";
export { MAX_ARRAY_DEPTH, type MetadataLimits, metaArray, metaNumber, metaString } from "./metadata.js";
export { type GgufReadOptions, readGgufHeader } from "./reader.js";
export { type GgufTensorSink, ggufTensor, readGgufTensor, streamGgufTensors } from "./tensors.js";
export * from "./types.js";
export { encodeTensor, type GgufTensorInput, type GgufWriteInput, gguf, writeGguf } from "./writer.js";
