/**
 * WebGPU's flag values (fixed by the spec), so modules can be imported where no WebGPU globals exist (the globals
 * `GPUBufferUsage` etc. appear only once an implementation is installed, e.g. by the `webgpu` package in Node).
 */
export const BUFFER = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const SHADER_STAGE_COMPUTE = 0x4;
export const MAP_READ = 0x1;

/** Usage of activation buffers, arenas and scratch: bound as storage, copied from and to. */
export const STORAGE_USAGE = BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST;
