/**
 * WebGPU's types (GPUDevice, GPUBuffer, …) come from `@webgpu/types`, which the `webgpu` dev dependency (Dawn for
 * Node) depends on; TypeScript's DOM lib does not declare them yet.
 */
/// <reference types="@webgpu/types" />
