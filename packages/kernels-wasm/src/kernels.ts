/**
 * The typed face of the wasm kernels: every op checks shapes, formats and buffers before it calls into wasm,
 * and splits its rows across the thread pool when there is one. Op names match the WebGPU backend's.
 */
import { BufferRangeError, KernelTrapError, ShapeError, UnsupportedFormatError } from "./errors.js";
import { FORMATS, q8aRowBytes, rowBytes, type WeightFormat } from "./formats.js";
import type { AttentionParams, BuildName, KernelExports, OpRunner, QuantizedActivations } from "./kernel-types.js";
import { Arena, type Buffer, Scratch, THREAD_SCRATCH_BYTES, type WeightTensor } from "./memory.js";
import { ropeTables } from "./reference/ops.js";
import { MAX_PACKED_COLS, type PackedFormat, packedActivationBytes } from "./reference/pack.js";

export type { AttentionParams, BuildName, KernelExports, OpRunner, QuantizedActivations } from "./kernel-types.js";

const SPLIT_MIN_BYTES = 1 << 20;

/** One format's packed activations, and what they were built from (q8a of `ntok` tokens). */
interface PackedActivations {
  scratch: Scratch;
  ptr: number;
  ntok: number;
  from?: QuantizedActivations | undefined;
}

function weightByteLength(format: WeightFormat, rows: number, cols: number): number {
  const info = FORMATS[format];
  if (!info) throw new UnsupportedFormatError(`unsupported weight format ${String(format)}`);
  need(
    Number.isSafeInteger(rows) && rows > 0 && Number.isSafeInteger(cols) && cols > 0,
    `bad weight shape ${rows}×${cols}`,
  );
  need(cols % info.blockSize === 0, `${format} rows must hold whole blocks of ${info.blockSize}, got ${cols} columns`);
  return rows * rowBytes(format, cols);
}

const need = (ok: boolean, message: string) => {
  if (!ok) throw new ShapeError(message);
};

export class WasmKernels {
  readonly arena: Arena;
  #ids: Buffer | undefined;
  #closed = false;
  #activations: QuantizedActivations | undefined;
  #useThreads = Number.POSITIVE_INFINITY;
  readonly #quantized = new WeakSet<QuantizedActivations>();
  /** Tensors that `pack` rewrote in place: their old handles must not be read as GGUF rows any more. */
  readonly #retired = new WeakSet<WeightTensor>();
  /** Packed activations per weight format, and the quantized activations they were built from (reused by q/k/v). */
  readonly #packedActs: Record<PackedFormat, PackedActivations>;
  #flag = 0;
  /** The last RoPE tables (cos then sin) and the positions, width and θ they are for. */
  readonly #rope: { scratch: Scratch; positions: Float64Array; hd: number; theta: number };
  /** Temporaries of one op at a time (q8a of f32 input, unpacked rows). */
  readonly #scratch: Scratch;

  constructor(
    readonly exports: KernelExports,
    readonly memory: WebAssembly.Memory,
    readonly build: BuildName,
    readonly runner?: OpRunner,
    arena?: Arena,
  ) {
    // The loader passes the arena it carved the threads' scratch from; kernels built by hand get the calling
    // thread's scratch here (workers take theirs when the pool starts them).
    if (arena) this.arena = arena;
    else {
      this.arena = new Arena(memory);
      exports.set_thread_scratch?.(this.arena.alloc(THREAD_SCRATCH_BYTES), THREAD_SCRATCH_BYTES);
    }
    this.#scratch = new Scratch(this.arena);
    const packed = () => ({ scratch: new Scratch(this.arena), ptr: 0, ntok: 0 });
    this.#packedActs = { q4_0: packed(), q8_0: packed() };
    this.#rope = { scratch: new Scratch(this.arena), positions: new Float64Array(0), hd: 0, theta: 0 };
  }

  /** Stops the worker threads (the memory stays readable). Ops then run on the calling thread. */
  close(): void {
    this.runner?.close();
    this.#closed = true;
  }

  /** Threads the ops run on. */
  get threads(): number {
    return this.#closed ? 1 : Math.min(this.#useThreads, this.runner?.threads ?? 1);
  }

  /** Allocates a zeroed buffer of `length` values. */
  alloc(length: number, dtype: Buffer["dtype"] = "f32"): Buffer {
    need(Number.isSafeInteger(length) && length > 0, `buffer length must be a positive integer, got ${length}`);
    return this.arena.buffer(length, dtype);
  }

  /** A live Float32Array view of an f32 buffer (valid until memory grows: take a new one after allocating). */
  view(b: Buffer): Float32Array {
    this.arena.check(b, "buffer");
    if (b.dtype !== "f32") throw new BufferRangeError(`view() needs an f32 buffer, got ${b.dtype}`);
    return this.arena.f32(b);
  }

  write(b: Buffer, values: ArrayLike<number>, offset = 0): void {
    need(
      offset >= 0 && offset + values.length <= b.length,
      `writing ${values.length} values at ${offset} overflows a buffer of ${b.length}`,
    );
    this.view(b).set(values, offset);
  }

  read(b: Buffer, length = b.length): Float32Array {
    return this.view(b).slice(0, length);
  }

  /** Copies n values from src[srcOffset…] to dst[dstOffset…] (same dtype; e.g. appending a token to a KV cache). */
  copy(src: Buffer, dst: Buffer, n: number, srcOffset = 0, dstOffset = 0): void {
    this.#check([src, "src"], [dst, "dst"]);
    need(src.dtype === dst.dtype, `copy needs buffers of one dtype, got ${src.dtype} and ${dst.dtype}`);
    need(
      Number.isSafeInteger(n) &&
        n >= 0 &&
        srcOffset >= 0 &&
        dstOffset >= 0 &&
        srcOffset + n <= src.length &&
        dstOffset + n <= dst.length,
      `copying ${n} values from ${srcOffset} to ${dstOffset} overflows a buffer`,
    );
    const size = src.dtype === "f16" ? 2 : 4;
    new Uint8Array(this.memory.buffer).copyWithin(
      dst.ptr + dstOffset * size,
      src.ptr + srcOffset * size,
      src.ptr + (srcOffset + n) * size,
    );
  }

  /** Copies a weight matrix, in its GGUF block layout, into wasm memory once. */
  upload(format: WeightFormat, rows: number, cols: number, data: Uint8Array): WeightTensor {
    const bytes = weightByteLength(format, rows, cols);
    need(data.byteLength === bytes, `${format} ${rows}×${cols} needs ${bytes} bytes, got ${data.byteLength}`);
    const w = this.reserve(format, rows, cols);
    this.arena.bytes(w.ptr, bytes).set(data);
    return w;
  }

  /**
   * Reserves wasm memory for a weight matrix, to be filled through `weightBytes` (a loader streams file chunks
   * straight in, with no second full copy in the JS heap).
   */
  reserve(format: WeightFormat, rows: number, cols: number): WeightTensor {
    const w = this.arena.weight(format, rows, cols, weightByteLength(format, rows, cols));
    // map the pages now, on every thread: first-touch faults, not the copy, dominate loading a model
    this.#run("prefault", [w.ptr], Math.ceil(w.byteLength / 4096));
    return w;
  }

  /** A live view of a GGUF-layout weight matrix's bytes (valid until memory grows), e.g. to stream a file into. */
  weightBytes(w: WeightTensor): Uint8Array {
    this.#check([w, "weights"]);
    if (w.packed) {
      throw new UnsupportedFormatError(
        "the tensor is packed: read its GGUF bytes with ggufBytes(), write before pack()",
      );
    }
    return this.arena.bytes(w.ptr, w.byteLength);
  }

  /**
   * The matrix's bytes in its GGUF block layout: a live view (as `weightBytes`) for a GGUF-layout tensor, a fresh copy
   * unpacked from the packed rows for a packed one (e.g. to upload the weights to another backend).
   */
  ggufBytes(w: WeightTensor): Uint8Array {
    this.#check([w, "weights"]);
    if (!w.packed) return this.arena.bytes(w.ptr, w.byteLength);
    const out = new Uint8Array(w.byteLength);
    const rb = rowBytes(w.format, w.cols);
    const chunk = Math.max(1, Math.floor((1 << 20) / rb));
    const tmp = this.#scratch.reserve(chunk * rb);
    for (let r = 0; r < w.rows; r += chunk) {
      const n = Math.min(chunk, w.rows - r);
      this.exports.unpack_rows(FORMATS[w.format].ggmlType, w.ptr + r * rb, tmp, w.cols, 0, n);
      out.set(this.arena.bytes(tmp, n * rb), r * rb);
    }
    return out;
  }

  /** The same bytes read as another shape of the same format (e.g. the first rows of a matrix). */
  reinterpret(w: WeightTensor, rows: number, cols: number): WeightTensor {
    this.#check([w, "weights"]);
    const bytes = weightByteLength(w.format, rows, cols);
    need(bytes <= w.byteLength, `${rows}×${cols} ${w.format} needs ${bytes} bytes, the tensor has ${w.byteLength}`);
    need(!w.packed || cols === w.cols, `a packed tensor keeps its ${w.cols} columns (asked for ${cols})`);
    const view = { ptr: w.ptr, format: w.format, rows, cols, byteLength: bytes };
    return this.arena.adopt(w.packed ? { ...view, packed: true } : view);
  }

  /** Whether `pack` would pack `w`: Q8_0, or Q4_0 on the relaxed-SIMD build; columns a multiple of 128, ≤ 131072. */
  canPack(w: WeightTensor): boolean {
    const format = w.format === "q8_0" || (w.format === "q4_0" && this.build === "relaxed");
    return format && !w.packed && w.cols % 128 === 0 && w.cols <= MAX_PACKED_COLS;
  }

  /**
   * Regroups a Q4_0 or Q8_0 matrix in place into the packed layout (reference/pack.ts) that the batched matmul reads
   * fastest: block i of every group of four lands in SIMD lane i, so scales apply four at a time with no horizontal
   * sums (prefill matmul ≈1.5×). Returns the packed tensor and retires `w` (ops on it then throw). Returns `w`
   * unchanged where the layout does not apply (see `canPack`) or a block scale is inf or NaN (the packed kernels'
   * scale conversion assumes finite scales). Same bytes, same results within f32 summation order.
   */
  pack(w: WeightTensor): WeightTensor {
    this.#check([w, "weights"]);
    if (!this.canPack(w)) return w;
    const id = FORMATS[w.format].ggmlType;
    if (this.#flag === 0) this.#flag = this.arena.alloc(64);
    const flag = new Int32Array(this.memory.buffer, this.#flag, 1);
    flag[0] = 0;
    this.#run("pack_rows", [id, w.ptr, w.cols, this.#flag], w.rows);
    if (new Int32Array(this.memory.buffer, this.#flag, 1)[0] !== 0) {
      this.#run("unpack_rows", [id, w.ptr, w.ptr, w.cols], w.rows);
      return w;
    }
    this.#retired.add(w);
    return this.arena.adopt({
      ptr: w.ptr,
      format: w.format,
      rows: w.rows,
      cols: w.cols,
      byteLength: w.byteLength,
      packed: true,
    });
  }

  /** Caps the threads ops use (1 ≤ n ≤ the pool's size), e.g. to leave a core to the server. */
  useThreads(n: number): void {
    const max = this.runner?.threads ?? 1;
    need(Number.isInteger(n) && n >= 1 && n <= max, `threads must be 1..${max}`);
    this.#useThreads = n;
  }

  /**
   * Quantizes ntok activation rows of `cols` values to q8a (per 32 values: i8 and an f32 scale), the input of
   * every quantized matmul. Quantize once and pass the result to several matmuls that share an input (q/k/v,
   * gate/up). Pass `into` to reuse an earlier result's memory.
   */
  quantize(x: Buffer, ntok: number, cols: number, into?: QuantizedActivations): QuantizedActivations {
    this.#check([x, "x"]);
    need(
      Number.isSafeInteger(ntok) && ntok > 0 && cols > 0 && cols % 32 === 0,
      `cannot quantize ${ntok}×${cols} (cols must be a multiple of 32)`,
    );
    need(x.dtype === "f32" && x.length >= ntok * cols, `x needs ${ntok}×${cols} f32 values, has ${x.length}`);
    const bytes = ntok * q8aRowBytes(cols);
    let ptr: number;
    if (into) {
      need(this.#quantized.has(into) && into.capacity >= bytes, "`into` is too small or not from these kernels");
      ptr = into.ptr;
    } else ptr = this.arena.alloc(bytes);
    this.#run("quantize_q8a", [x.ptr, ptr, cols], ntok);
    const q = Object.freeze({ ptr, ntok, cols, capacity: into?.capacity ?? bytes });
    this.#quantized.add(q);
    return q;
  }

  /**
   * What a matmul over `w` reads for these rows: x itself for float weights, else x quantized into a scratch that
   * this method reuses (the result is valid until its next call). Lets several matmuls share one quantization.
   */
  quantizeIfNeeded(w: WeightTensor, x: Buffer, ntok: number): Buffer | QuantizedActivations {
    if (!FORMATS[w.format].quantized) return x;
    const bytes = ntok * q8aRowBytes(w.cols);
    const into = this.#activations && this.#activations.capacity >= bytes ? this.#activations : undefined;
    this.#activations = this.quantize(x, ntok, w.cols, into);
    return this.#activations;
  }

  /** The raw bytes of quantized activations (for tests and inspection). */
  quantizedBytes(q: QuantizedActivations): Uint8Array {
    need(this.#quantized.has(q), "not quantized by these kernels");
    return this.arena.bytes(q.ptr, q.ntok * q8aRowBytes(q.cols)).slice();
  }

  /**
   * Y (ntok × rows) = W · X (ntok × cols). Decode is ntok = 1, prefill a batch of tokens. X is f32 rows, or,
   * for quantized W, rows already quantized by `quantize`.
   */
  matmul(w: WeightTensor, x: Buffer | QuantizedActivations, y: Buffer, ntok = 1): void {
    this.#check([w, "weights"], [y, "y"]);
    need(Number.isSafeInteger(ntok) && ntok > 0, `ntok must be a positive integer, got ${ntok}`);
    need(y.dtype === "f32" && y.length >= ntok * w.rows, `y needs ${ntok}×${w.rows} f32 values, has ${y.length}`);
    const quantized = FORMATS[w.format].quantized;
    let a: number;
    if ("dtype" in x) {
      this.#check([x, "x"]);
      need(x.dtype === "f32" && x.length >= ntok * w.cols, `x needs ${ntok}×${w.cols} f32 values, has ${x.length}`);
      a = quantized ? this.#scratch.reserve(ntok * q8aRowBytes(w.cols)) : x.ptr;
      if (quantized) this.#run("quantize_q8a", [x.ptr, a, w.cols], ntok);
    } else {
      need(this.#quantized.has(x), "quantized activations are not from these kernels");
      if (!quantized) throw new UnsupportedFormatError(`${w.format} weights take f32 activations, not quantized ones`);
      need(x.cols === w.cols && x.ntok >= ntok, `activations are ${x.ntok}×${x.cols}, the op needs ${ntok}×${w.cols}`);
      a = x.ptr;
    }
    // Below ~1 MiB of weight traffic, waking the workers costs more than they save (measured: 256×2048 Q4_0).
    const threads = w.byteLength * ntok < SPLIT_MIN_BYTES ? 1 : this.threads;
    if (w.packed) {
      const acts = this.#packActivations(w.format as PackedFormat, a, ntok, w.cols, "dtype" in x ? undefined : x);
      this.#run(`matmul_${w.format}x4`, [w.ptr, acts, y.ptr, w.cols, w.rows, ntok], w.rows, threads);
      return;
    }
    this.#run(`matmul_${w.format}`, [w.ptr, a, y.ptr, w.cols, w.rows, ntok], w.rows, threads);
  }

  /**
   * The packed activation layout of q8a rows at `a` for `format`'s packed kernels. Kept per format and reused while
   * the same quantized activations come back (the q, k and v matmuls share one input).
   */
  #packActivations(format: PackedFormat, a: number, ntok: number, cols: number, from?: QuantizedActivations): number {
    const slot = this.#packedActs[format];
    if (from && slot.from === from && ntok <= slot.ntok) return slot.ptr;
    slot.ptr = slot.scratch.reserve(packedActivationBytes(format, ntok, cols));
    slot.from = from;
    slot.ntok = ntok;
    this.#run("pack_acts", [FORMATS[format].ggmlType, a, slot.ptr, cols], ntok, ntok >= 8 ? this.threads : 1);
    return slot.ptr;
  }

  /** y = W · x for one token. */
  matvec(w: WeightTensor, x: Buffer | QuantizedActivations, y: Buffer): void {
    this.matmul(w, x, y, 1);
  }

  /** out[r] = x[r] / rms(x[r]) · w for `rows` rows of `dim` values (w holds Gemma's 1 + weight). */
  rmsnorm(x: Buffer, w: Buffer, out: Buffer, rows: number, dim: number, eps: number): void {
    this.#check([x, "x"], [w, "w"], [out, "out"]);
    need(
      x.length >= rows * dim && out.length >= rows * dim && w.length >= dim,
      `rmsnorm shapes do not fit ${rows}×${dim}`,
    );
    this.#run("rmsnorm", [x.ptr, w.ptr, out.ptr, dim, eps], rows);
  }

  add(a: Buffer, b: Buffer, out: Buffer, n = out.length): void {
    this.#elementwise("add", a, b, out, n);
  }

  mul(a: Buffer, b: Buffer, out: Buffer, n = out.length): void {
    this.#elementwise("mul", a, b, out, n);
  }

  scale(x: Buffer, s: number, out: Buffer, n = out.length): void {
    this.#check([x, "x"], [out, "out"]);
    need(x.length >= n && out.length >= n, `scale needs ${n} values`);
    this.#run("scale", [x.ptr, s, out.ptr], n);
  }

  /** out = gelu_tanh(gate) · up (Gemma's gated MLP). */
  geluGate(gate: Buffer, up: Buffer, out: Buffer, n = out.length): void {
    this.#elementwise("gelu_gate", gate, up, out, n);
  }

  /** x = cap · tanh(x / cap) in place. */
  softcap(x: Buffer, cap: number, n = x.length): void {
    this.#check([x, "x"]);
    need(cap > 0 && n <= x.length, `softcap needs cap > 0 and n ≤ ${x.length}`);
    this.#run("softcap", [x.ptr, cap], n);
  }

  /** Softmax in place over `rows` rows of `n` values. */
  softmax(x: Buffer, rows: number, n: number): void {
    this.#check([x, "x"]);
    need(rows * n <= x.length && n > 0, `softmax of ${rows}×${n} overflows ${x.length} values`);
    this.#run("softmax", [x.ptr, n], rows);
  }

  /** Half-rotation RoPE in place on x (ntok × nheads × hd), token t at positions[t], base θ. */
  rope(x: Buffer, ntok: number, nheads: number, hd: number, positions: ArrayLike<number>, theta: number): void {
    this.#check([x, "x"]);
    need(hd % 2 === 0 && positions.length === ntok && x.length >= ntok * nheads * hd, "rope shapes do not fit");
    const tables = this.#ropeTables(positions, hd, theta);
    this.#run("rope", [x.ptr, tables, tables + ntok * (hd / 2) * 4, nheads, hd], ntok * nheads);
  }

  /**
   * cos and sin tables (ntok × hd/2 each) in wasm memory, kept for the next call with the same positions, width and θ:
   * every layer's q and k rotate by the same angles, and the JS trigonometry was most of rope's time in prefill.
   */
  #ropeTables(positions: ArrayLike<number>, hd: number, theta: number): number {
    const c = this.#rope;
    const same =
      c.hd === hd &&
      c.theta === theta &&
      c.positions.length === positions.length &&
      Array.prototype.every.call(positions, (p: number, i: number) => c.positions[i] === p);
    const ptr = c.scratch.reserve(positions.length * hd * 4); // cos and sin, ntok × hd/2 each
    if (same) return ptr;
    const { cos, sin } = ropeTables(positions, hd, theta);
    const view = new Float32Array(this.memory.buffer, ptr, 2 * cos.length);
    view.set(cos, 0);
    view.set(sin, cos.length);
    Object.assign(c, { positions: Float64Array.from(positions), hd, theta });
    return ptr;
  }

  /** Causal attention of p.nq queries over a KV cache (see AttentionParams). */
  attention(p: AttentionParams): void {
    this.#check([p.q, "q"], [p.k, "k"], [p.v, "v"], [p.out, "out"]);
    const { nq, nheads, nkv, hd, pos0 } = p;
    need(nkv > 0 && nheads % nkv === 0, `nheads (${nheads}) must be a multiple of nkv (${nkv})`);
    need(p.q.length >= nq * nheads * hd && p.out.length >= nq * nheads * hd, "q/out are too short");
    need(p.k.dtype === p.v.dtype && p.k.dtype !== "i32", "k and v must both be f32 or both f16");
    const cached = (pos0 + nq) * nkv * hd;
    need(p.k.length >= cached && p.v.length >= cached, `the KV cache must hold ${pos0 + nq} positions`);
    const window = p.window ?? 0;
    const cap = p.softcap ?? 0;
    const args = [
      p.q.ptr,
      p.k.ptr,
      p.v.ptr,
      p.out.ptr,
      nheads,
      nkv,
      hd,
      pos0,
      window,
      p.scale,
      cap,
      p.k.dtype === "f16" ? 1 : 0,
    ];
    this.#run("attention", args, nq * nheads);
  }

  /** dst (f16) = src (f32) for n values: appends to an f16 KV cache. */
  toF16(src: Buffer, dst: Buffer, n: number, dstOffset = 0): void {
    this.#check([src, "src"], [dst, "dst"]);
    need(src.dtype === "f32" && dst.dtype === "f16" && n <= src.length && dstOffset + n <= dst.length, "toF16 shapes");
    this.#run("f32_to_f16_rows", [src.ptr, dst.ptr + dstOffset * 2], n);
  }

  /** out[k] = dequantized row ids[k] of w (the embedding lookup). */
  embed(w: WeightTensor, ids: ArrayLike<number>, out: Buffer): void {
    this.#check([w, "weights"], [out, "out"]);
    need(out.length >= ids.length * w.cols, `out needs ${ids.length}×${w.cols} values`);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? -1;
      if (!Number.isInteger(id) || id < 0 || id >= w.rows)
        throw new ShapeError(`row id ${id} is outside 0..${w.rows - 1}`);
    }
    if (!this.#ids || this.#ids.length < ids.length) this.#ids = this.alloc(Math.max(64, ids.length), "i32");
    const id = FORMATS[w.format].ggmlType;
    const rb = rowBytes(w.format, w.cols);
    let base = w.ptr;
    if (w.packed) {
      // the rows, unpacked into scratch, become rows 0…n−1 of a GGUF matrix
      base = this.#scratch.reserve(ids.length * rb);
      for (let k = 0; k < ids.length; k++) {
        this.exports.unpack_rows(id, w.ptr + (ids[k] as number) * rb, base + k * rb, w.cols, 0, 1);
      }
      ids = Array.from({ length: ids.length }, (_, k) => k);
    }
    new Int32Array(this.memory.buffer, this.#ids.ptr, ids.length).set(Array.from(ids));
    this.#run("dequant_rows", [id, base, rb, this.#ids.ptr, out.ptr, w.cols], ids.length);
  }

  #elementwise(op: string, a: Buffer, b: Buffer, out: Buffer, n: number): void {
    this.#check([a, "a"], [b, "b"], [out, "out"]);
    need(n <= a.length && n <= b.length && n <= out.length, `${op} of ${n} values overflows its operands`);
    this.#run(op, [a.ptr, b.ptr, out.ptr], n);
  }

  #check(...items: Array<[Buffer | WeightTensor, string]>): void {
    for (const [b, what] of items) {
      this.arena.check(b, what);
      if (this.#retired.has(b as WeightTensor)) {
        throw new BufferRangeError(`${what} was repacked in place by pack(): use the tensor pack() returned`);
      }
    }
  }

  #run(op: string, args: readonly number[], n: number, threads = this.threads): void {
    if (n === 0) return;
    try {
      if (this.runner && threads > 1) this.runner.run(op, args, n, threads);
      else (this.exports[op as keyof KernelExports] as (...a: number[]) => void)(...args, 0, n);
    } catch (cause) {
      if (cause instanceof WebAssembly.RuntimeError)
        throw new KernelTrapError(`${op} trapped: ${cause.message}`, { cause });
      throw cause;
    }
  }
}
