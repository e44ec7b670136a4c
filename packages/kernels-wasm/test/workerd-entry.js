// A Cloudflare Worker that loads the kernels the way a deployed worker must (wasm imported as modules: workerd
// refuses to compile bytes at run time), runs every matmul format and a few ops against the scalar reference,
// and answers with the worst errors it saw. Driven by src/workerd.test.ts through Miniflare.
import {
  KernelError,
  loadKernelsWithReport,
  randomValues,
  randomWeights,
  reference,
  WEIGHT_FORMATS,
} from "../dist/index.js";
import relaxed from "../dist/wasm/kernels-relaxed.wasm";
import simd from "../dist/wasm/kernels-simd.wasm";

export default {
  async fetch(request) {
    const params = new URL(request.url).searchParams;
    if (params.has("no-modules")) {
      try {
        await loadKernelsWithReport({ build: "simd" });
        return Response.json({ loaded: true });
      } catch (error) {
        return Response.json({ loaded: false, kernelError: KernelError.isInstance(error), name: error.name });
      }
    }
    const { kernels: k, report } = await loadKernelsWithReport({
      build: params.get("build") ?? "auto",
      modules: { simd, relaxed },
    });
    const rows = 33;
    const cols = 512;
    const x = k.alloc(2 * cols);
    const xs = randomValues(2 * cols, 1);
    k.write(x, xs);
    const y = k.alloc(2 * rows);
    const matmul = {};
    for (const format of WEIGHT_FORMATS) {
      const bytes = randomWeights(format, rows, cols, 2);
      k.matmul(k.upload(format, rows, cols, bytes), x, y, 2);
      const got = k.read(y);
      const want = reference.referenceMatmul(format, bytes, rows, cols, xs, 2);
      let worst = 0;
      for (let i = 0; i < got.length; i++)
        worst = Math.max(worst, Math.abs(got[i] - want.y[i]) / (want.magnitude[i] + 1e-9));
      matmul[format] = worst;
    }
    const hd = 64;
    const shape = { nq: 2, nheads: 4, nkv: 2, hd, pos0: 5, window: 0, scale: 0.125, softcap: 50 };
    const qs = randomValues(2 * 4 * hd, 3);
    const kv = randomValues(7 * 2 * hd, 4);
    const [q, kb, vb, out] = [k.alloc(qs.length), k.alloc(kv.length), k.alloc(kv.length), k.alloc(qs.length)];
    k.write(q, qs);
    k.write(kb, kv);
    k.write(vb, kv);
    k.attention({ q, k: kb, v: vb, out, ...shape });
    const want = reference.attention(qs, kv, kv, shape);
    const got = k.read(out);
    let attention = 0;
    for (let i = 0; i < got.length; i++) attention = Math.max(attention, Math.abs(got[i] - want[i]));
    return Response.json({ report, matmul, attention, sharedArrayBuffer: typeof SharedArrayBuffer });
  },
};
