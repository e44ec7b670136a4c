/**
 * The WebGPU kernels: the ops of kernels-wasm's `WasmKernels`, same names, argument shapes and semantics, over GPU
 * buffers. Every op checks shapes and buffers (kernels-wasm's typed errors) and records its dispatch; ops batch into
 * one command encoder until a `read`, `flush` or `submit`. Weights stay in their GGUF block layout and are
 * dequantized in the shaders; activations stay f32 (there is no q8a quantization on the GPU).
 */
import { type AttentionParams, FORMATS, reference, ShapeError, type WeightFormat } from "@gemma-edge/kernels-wasm";
import { type CreateOptions, DeviceWatch, openDevice } from "./device.js";
import { BUFFER, MAP_READ } from "./flags.js";
import { type GpuBuffer, GpuMemory, type GpuWeightTensor } from "./memory.js";
import { f, u } from "./recorder.js";
import { DATA, Runner } from "./runner.js";

/** Parameters of `attention` over GPU buffers (kernels-wasm's shape; the head dimension is at most 512 here). */
export type GpuAttentionParams = AttentionParams<GpuBuffer>;

const need = (ok: boolean, message: string) => {
  if (!ok) throw new ShapeError(message);
};
const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(n));
/** Values a staged write or f16 copy moves per dispatch (4 MiB of f32). */
const WRITE_CHUNK = 1 << 20;

export class WebGpuKernels {
  readonly #memory: GpuMemory;
  readonly #runner: Runner;
  readonly #watch: DeviceWatch;
  readonly #readBuffers: GPUBuffer[] = [];
  readonly #q8a: boolean;
  /** The rounded activations quantizeIfNeeded made last (reused, like kernels-wasm's q8a rows). */
  #rounded: GpuBuffer | undefined;

  /** Opens a device (the adapter's own buffer limits) or wraps `device`. */
  static async create(options: CreateOptions = {}): Promise<WebGpuKernels> {
    const { device, fallback } = await openDevice(options);
    return new WebGpuKernels(device, fallback, options);
  }

  constructor(
    readonly device: GPUDevice,
    /** Whether the adapter is a CPU fallback (then the WASM kernels are faster). */
    readonly fallback = false,
    limits: Pick<CreateOptions, "maxBindingBytes" | "maxWorkgroupsPerDimension" | "activations"> = {},
  ) {
    this.#q8a = limits.activations === "q8a";
    const { maxStorageBufferBindingSize, maxBufferSize } = device.limits;
    this.#watch = new DeviceWatch(device);
    const maxBytes = Math.min(
      maxStorageBufferBindingSize,
      maxBufferSize,
      limits.maxBindingBytes ?? Number.POSITIVE_INFINITY,
    );
    this.#memory = new GpuMemory(device, maxBytes);
    this.#runner = new Runner(device, limits.maxWorkgroupsPerDimension);
  }

  /** Command buffers submitted so far (a forward's ops share one unless the arenas had to grow). */
  get submits(): number {
    return this.#runner.recorder.submits;
  }

  /** Allocates a zeroed buffer of `length` values (f16: packed two a word). */
  alloc(length: number, dtype: GpuBuffer["dtype"] = "f32"): GpuBuffer {
    return this.#watch.allocating("a buffer", () => this.#memory.alloc(length, dtype));
  }

  /** Copies a weight matrix, in its GGUF block layout, to the GPU once (split by rows across bindings if large). */
  upload(format: WeightFormat, rows: number, cols: number, data: Uint8Array): GpuWeightTensor {
    return this.#watch.allocating(`${format} ${rows}×${cols}`, () => this.#memory.upload(format, rows, cols, data));
  }

  /** Frees a buffer or weight tensor (after the ops recorded so far are submitted). */
  release(b: GpuBuffer | GpuWeightTensor): void {
    this.submit();
    this.#memory.release(b);
  }

  /** Writes values at `offset` (in op order: staged with the recorded ops, not ahead of them). */
  write(b: GpuBuffer, values: ArrayLike<number>, offset = 0): void {
    const buffer = this.#buffer(b, "buffer");
    need(
      offset >= 0 && offset + values.length <= b.length,
      `writing ${values.length} values at ${offset} overflows ${b.length}`,
    );
    for (let at = 0; at < values.length; at += WRITE_CHUNK) {
      const n = Math.min(WRITE_CHUNK, values.length - at);
      const chunk = Array.prototype.slice.call(values, at, at + n) as number[];
      if (b.dtype === "f16") {
        const params = [u(n), u(offset + at)];
        this.#run("to_f16", params, [DATA, buffer], (((offset + at) % 2) + n + 1) / 512, new Float32Array(chunk));
      } else {
        const data = b.dtype === "i32" ? new Uint32Array(Int32Array.from(chunk).buffer) : Float32Array.from(chunk);
        const staged = this.#runner.recorder.reserve([], data);
        this.#runner.recorder.copy(this.#runner.recorder.data, staged.data * 4, buffer, (offset + at) * 4, n * 4);
      }
    }
  }

  /** Reads `length` values (f16 decoded to f32) once the ops recorded before this call have run. */
  async read(b: GpuBuffer, length = b.length): Promise<Float32Array> {
    const buffer = this.#buffer(b, "buffer");
    need(
      Number.isSafeInteger(length) && length >= 0 && length <= b.length,
      `cannot read ${length} of ${b.length} values`,
    );
    const bytes = Math.max(4, b.dtype === "f16" ? Math.ceil(length / 2) * 4 : length * 4);
    const staging = this.#readBuffer(bytes);
    this.#runner.recorder.copy(buffer, 0, staging, 0, bytes);
    this.#runner.recorder.submit();
    try {
      await staging.mapAsync(MAP_READ, 0, bytes);
    } catch (cause) {
      this.#watch.check();
      throw cause;
    }
    const raw = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.#readBuffers.push(staging);
    this.#watch.check();
    if (b.dtype === "f32") return new Float32Array(raw, 0, length);
    if (b.dtype === "i32") return Float32Array.from(new Int32Array(raw, 0, length));
    const halves = new Uint16Array(raw, 0, length);
    return Float32Array.from(halves, (h) => reference.f16ToF32(h));
  }

  /** Submits the recorded ops without waiting. */
  submit(): void {
    this.#watch.alive();
    this.#runner.recorder.submit();
  }

  /** Submits the recorded ops and waits for the GPU; throws what WebGPU reported meanwhile. */
  async flush(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
    this.#watch.check();
  }

  /** Destroys the device: every buffer is freed and further ops throw DeviceLostError. */
  destroy(): void {
    this.device.destroy();
  }

  /** Copies n values from src[srcOffset…] to dst[dstOffset…] (same dtype, two buffers). */
  copy(src: GpuBuffer, dst: GpuBuffer, n: number, srcOffset = 0, dstOffset = 0): void {
    const s = this.#buffer(src, "src");
    const d = this.#buffer(dst, "dst");
    need(src.dtype === dst.dtype, `copy needs buffers of one dtype, got ${src.dtype} and ${dst.dtype}`);
    need(src !== dst, "copy within one buffer is not supported");
    need(
      Number.isSafeInteger(n) &&
        n >= 0 &&
        srcOffset >= 0 &&
        dstOffset >= 0 &&
        srcOffset + n <= src.length &&
        dstOffset + n <= dst.length,
      `copying ${n} values from ${srcOffset} to ${dstOffset} overflows a buffer`,
    );
    if (n === 0) return;
    if (src.dtype !== "f16") this.#runner.recorder.copy(s, srcOffset * 4, d, dstOffset * 4, n * 4);
    else if (srcOffset % 2 === 0 && dstOffset % 2 === 0 && n % 2 === 0)
      this.#runner.recorder.copy(s, srcOffset * 2, d, dstOffset * 2, n * 2);
    else this.#run("copy_f16", [u(n), u(srcOffset), u(dstOffset)], [s, d], ((dstOffset % 2) + n + 1) / 512);
  }

  /**
   * What a matmul over `w` reads: x itself, or — with `activations: "q8a"` and quantized weights — x rounded the way
   * kernels-wasm quantizes activations, in a buffer reused by the next call.
   */
  quantizeIfNeeded(w: GpuWeightTensor, x: GpuBuffer, ntok: number): GpuBuffer {
    if (!this.#q8a || !FORMATS[w.format].quantized || x === this.#rounded) return x;
    const xb = this.#f32(x, "x");
    const n = ntok * w.cols;
    need(Number.isSafeInteger(ntok) && ntok > 0 && x.length >= n, `x needs ${ntok}×${w.cols} f32 values`);
    if (!this.#rounded || this.#rounded.length < n) {
      if (this.#rounded) this.release(this.#rounded);
      this.#rounded = this.alloc(n);
    }
    const out = this.#buffer(this.#rounded, "activations");
    this.#run("quantize_q8a", [u(n / 32)], [xb, out], n / 32 / 64, undefined, n * 4);
    return this.#rounded;
  }

  /** Y (ntok × rows) = W · X (ntok × cols), X and Y f32; W in any format, split into parts if large. */
  matmul(w: GpuWeightTensor, input: GpuBuffer, y: GpuBuffer, ntok = 1): void {
    const parts = this.#memory.parts(w);
    const x = this.quantizeIfNeeded(w, input, ntok);
    const xb = this.#buffer(x, "x");
    const yb = this.#buffer(y, "y");
    need(Number.isSafeInteger(ntok) && ntok > 0, `ntok must be a positive integer, got ${ntok}`);
    need(x.dtype === "f32" && x.length >= ntok * w.cols, `x needs ${ntok}×${w.cols} f32 values, has ${x.length}`);
    need(y.dtype === "f32" && y.length >= ntok * w.rows, `y needs ${ntok}×${w.rows} f32 values, has ${y.length}`);
    need(x !== y, "matmul cannot write y over x");
    const nchunks = Math.ceil(w.cols / 32);
    const lanes = Math.min(64, nextPow2(nchunks));
    const rowBytes = w.byteLength / w.rows;
    for (const p of parts) {
      const params = [u(w.rows), u(p.row0), u(p.rows), u(w.cols), u(ntok), u(rowBytes), u(lanes), u(nchunks)];
      this.#runner.run({
        shader: `matmul/${w.format}`,
        params,
        buffers: [p.buffer, xb, yb],
        workgroups: Math.ceil(p.rows / (64 / lanes)),
        z: Math.ceil(ntok / 4),
        writtenBytes: 0,
      });
    }
  }

  /** y = W · x for one token. */
  matvec(w: GpuWeightTensor, x: GpuBuffer, y: GpuBuffer): void {
    this.matmul(w, x, y, 1);
  }

  /** out[r] = x[r] / rms(x[r]) · w for `rows` rows of `dim` values (w holds Gemma's 1 + weight). */
  rmsnorm(x: GpuBuffer, w: GpuBuffer, out: GpuBuffer, rows: number, dim: number, eps: number): void {
    const b = [this.#f32(x, "x"), this.#f32(w, "w"), this.#f32(out, "out")];
    need(
      rows >= 0 && dim > 0 && x.length >= rows * dim && out.length >= rows * dim && w.length >= dim,
      `rmsnorm shapes do not fit ${rows}×${dim}`,
    );
    this.#run("rmsnorm", [u(rows), u(dim), f(eps)], b, rows, undefined, rows * dim * 4);
  }

  add(a: GpuBuffer, b: GpuBuffer, out: GpuBuffer, n = out.length): void {
    this.#elementwise("add", a, b, out, n);
  }

  mul(a: GpuBuffer, b: GpuBuffer, out: GpuBuffer, n = out.length): void {
    this.#elementwise("mul", a, b, out, n);
  }

  /** out = gelu_tanh(gate) · up (Gemma's gated MLP). */
  geluGate(gate: GpuBuffer, up: GpuBuffer, out: GpuBuffer, n = out.length): void {
    this.#elementwise("gelu_gate", gate, up, out, n);
  }

  scale(x: GpuBuffer, s: number, out: GpuBuffer, n = out.length): void {
    const b = [this.#f32(x, "x"), this.#f32(out, "out")];
    need(n >= 0 && x.length >= n && out.length >= n, `scale needs ${n} values`);
    this.#run("scale", [u(n), f(s)], b, n / 256, undefined, n * 4);
  }

  /** x = cap · tanh(x / cap) in place. */
  softcap(x: GpuBuffer, cap: number, n = x.length): void {
    const b = this.#f32(x, "x");
    need(cap > 0 && n >= 0 && n <= x.length, `softcap needs cap > 0 and n ≤ ${x.length}`);
    this.#run("softcap", [u(n), f(cap)], [b], n / 256);
  }

  /** Softmax in place over `rows` rows of `n` values. */
  softmax(x: GpuBuffer, rows: number, n: number): void {
    const b = this.#f32(x, "x");
    need(rows >= 0 && n > 0 && rows * n <= x.length, `softmax of ${rows}×${n} overflows ${x.length} values`);
    this.#run("softmax", [u(rows), u(n)], [b], rows);
  }

  /** Half-rotation RoPE in place on x (ntok × nheads × hd), token t at positions[t], base θ. */
  rope(x: GpuBuffer, ntok: number, nheads: number, hd: number, positions: ArrayLike<number>, theta: number): void {
    const b = this.#f32(x, "x");
    need(
      hd > 0 && hd % 2 === 0 && positions.length === ntok && x.length >= ntok * nheads * hd,
      "rope shapes do not fit",
    );
    const { cos, sin } = reference.ropeTables(positions, hd, theta);
    const tables = new Float32Array(2 * cos.length);
    tables.set(cos, 0);
    tables.set(sin, cos.length);
    this.#run("rope", [u(ntok), u(nheads), u(hd)], [b, DATA], (ntok * nheads * hd) / 512, tables);
  }

  /** Causal attention of p.nq queries over a KV cache (see GpuAttentionParams). */
  attention(p: GpuAttentionParams): void {
    const b = [this.#f32(p.q, "q"), this.#buffer(p.k, "k"), this.#buffer(p.v, "v"), this.#f32(p.out, "out")];
    const { nq, nheads, nkv, hd, pos0 } = p;
    need(nkv > 0 && nheads % nkv === 0, `nheads (${nheads}) must be a multiple of nkv (${nkv})`);
    need(hd > 0 && hd <= 512, `head dimension ${hd} is outside 1..512`);
    need(
      nq >= 0 && pos0 >= 0 && p.q.length >= nq * nheads * hd && p.out.length >= nq * nheads * hd,
      "q/out are too short",
    );
    need(p.k.dtype === p.v.dtype && p.k.dtype !== "i32", "k and v must both be f32 or both f16");
    const cached = (pos0 + nq) * nkv * hd;
    need(p.k.length >= cached && p.v.length >= cached, `the KV cache must hold ${pos0 + nq} positions`);
    const params = [u(nq), u(nheads), u(nkv), u(hd), u(pos0), u(p.window ?? 0), f(p.scale), f(p.softcap ?? 0)];
    params.push(u(p.k.dtype === "f16" ? 1 : 0));
    this.#run("attention", params, b, nq * nheads, undefined, nq * nheads * hd * 4);
  }

  /** dst (f16) [dstOffset…] = src (f32) for n values: appends to an f16 KV cache. */
  toF16(src: GpuBuffer, dst: GpuBuffer, n: number, dstOffset = 0): void {
    const b = [this.#buffer(src, "src"), this.#buffer(dst, "dst")];
    need(
      src.dtype === "f32" &&
        dst.dtype === "f16" &&
        n >= 0 &&
        n <= src.length &&
        dstOffset >= 0 &&
        dstOffset + n <= dst.length,
      "toF16 shapes",
    );
    this.#run("to_f16", [u(n), u(dstOffset), u(0)], b, ((dstOffset % 2) + n + 1) / 512);
  }

  /** out[k] = dequantized row ids[k] of w (the embedding lookup). */
  embed(w: GpuWeightTensor, ids: ArrayLike<number>, out: GpuBuffer): void {
    const parts = this.#memory.parts(w);
    const ob = this.#f32(out, "out");
    need(out.length >= ids.length * w.cols, `out needs ${ids.length}×${w.cols} values`);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? -1;
      need(Number.isInteger(id) && id >= 0 && id < w.rows, `row id ${id} is outside 0..${w.rows - 1}`);
    }
    const data = Uint32Array.from(ids);
    const nchunks = Math.ceil(w.cols / 32);
    for (const p of parts) {
      const params = [u(p.row0), u(p.rows), u(w.cols), u(w.byteLength / w.rows), u(nchunks), u(ids.length)];
      this.#run(`embed/${w.format}`, params, [p.buffer, DATA, ob], (ids.length * nchunks) / 64, data);
    }
  }

  #elementwise(op: string, a: GpuBuffer, b: GpuBuffer, out: GpuBuffer, n: number): void {
    const bufs = [this.#f32(a, "a"), this.#f32(b, "b"), this.#f32(out, "out")];
    need(n >= 0 && n <= a.length && n <= b.length && n <= out.length, `${op} of ${n} values overflows its operands`);
    this.#run(op, [u(n)], bufs, n / 256, undefined, n * 4);
  }

  #run(
    shader: string,
    params: ReturnType<typeof u>[],
    buffers: Array<GPUBuffer | typeof DATA>,
    workgroups: number,
    data?: Float32Array | Uint32Array,
    writtenBytes = 0,
  ): void {
    const d = { shader, params, buffers, workgroups: Math.ceil(workgroups), writtenBytes };
    this.#runner.run(data ? { ...d, data } : d);
  }

  #buffer(b: GpuBuffer, what: string): GPUBuffer {
    this.#watch.alive();
    return this.#memory.buffer(b, what);
  }

  #f32(b: GpuBuffer, what: string): GPUBuffer {
    need(b.dtype === "f32", `${what} must be an f32 buffer, got ${b.dtype}`);
    return this.#buffer(b, what);
  }

  #readBuffer(bytes: number): GPUBuffer {
    const i = this.#readBuffers.findIndex((b) => b.size >= bytes);
    if (i >= 0) return this.#readBuffers.splice(i, 1)[0] as GPUBuffer;
    const size = Math.max(bytes, 1 << 16);
    return this.device.createBuffer({ size, usage: BUFFER.MAP_READ | BUFFER.COPY_DST });
  }
}
