// Runs inside a module Web Worker: loads the kernels with 2 threads (nested workers over one shared memory) and checks
// every matmul format and attention against the scalar reference. Posts what it measured.
import {
  loadKernelsWithReport,
  randomValues,
  randomWeights,
  reference,
  rowBytes,
  WEIGHT_FORMATS,
} from "../../dist/index.js";

try {
  const { kernels: k, report } = await loadKernelsWithReport({ threads: 2 });
  const cols = 1024;
  const x = k.alloc(2 * cols);
  const xs = randomValues(2 * cols, 1);
  k.write(x, xs);
  const matmul = {};
  for (const format of WEIGHT_FORMATS) {
    // big enough (≥ 1 MiB) that the op is split across both threads
    const rows = Math.ceil((1.1 * 2 ** 20) / rowBytes(format, cols)) + 3;
    const bytes = randomWeights(format, rows, cols, 2);
    const y = k.alloc(2 * rows);
    k.matmul(k.upload(format, rows, cols, bytes), x, y, 2);
    const got = k.read(y);
    const want = reference.referenceMatmul(format, bytes, rows, cols, xs, 2);
    let worst = 0;
    for (let i = 0; i < got.length; i++)
      worst = Math.max(worst, Math.abs(got[i] - want.y[i]) / (want.magnitude[i] + 1e-9));
    matmul[format] = worst;
  }
  postMessage({ report, threads: k.threads, matmul });
} catch (error) {
  postMessage({ error: String(error) });
}
