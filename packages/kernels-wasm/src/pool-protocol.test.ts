import { describe, expect, it } from "vitest";
import { CHUNK, CHUNKS_PER_THREAD, chunkSize, N, NEXT, ORDER, spinUntilChanged, takeChunks } from "./pool-protocol.js";

function job(n: number, threads: number, descending = false): Int32Array {
  const ctrl = new Int32Array(new SharedArrayBuffer(64));
  ctrl[N] = n;
  ctrl[CHUNK] = chunkSize(n, threads);
  ctrl[NEXT] = 0;
  ctrl[ORDER] = descending ? 1 : 0;
  return ctrl;
}

describe("pool chunks", () => {
  it("cut [0, n) into chunks of a multiple of 4, a few per thread", () => {
    expect(chunkSize(2048, 2)).toBe(256);
    expect(chunkSize(2048, 2) * 2 * CHUNKS_PER_THREAD).toBe(2048);
    expect(chunkSize(10, 2)).toBe(4);
    expect(chunkSize(1, 8)).toBe(4);
    expect(chunkSize(256_001, 3) % 4).toBe(0);
  });

  it("are taken once each and cover [0, n) exactly, in either order; a late taker finds none left", () => {
    for (const [n, threads, descending] of [
      [2048, 2, false],
      [2049, 2, false],
      [7, 2, false],
      [256_000, 3, false],
      [2048, 2, true],
      [2049, 2, true],
      [7, 2, true],
      [1027, 3, true],
    ] as const) {
      const ctrl = job(n, threads, descending);
      const seen = new Uint8Array(n);
      const ranges: [number, number][] = [];
      let turn = 0;
      const take = (s: number, e: number) => {
        ranges.push([s, e]);
        for (let i = s; i < e; i++) seen[i] = (seen[i] as number) + 1;
        turn++;
      };
      expect(takeChunks(ctrl, take)).toBeUndefined();
      expect(takeChunks(ctrl, take)).toBeUndefined(); // nothing left for a late taker
      expect(seen.every((x) => x === 1)).toBe(true);
      expect(ranges.every(([s]) => s % 4 === 0)).toBe(true);
      expect(turn).toBe(Math.ceil(n / chunkSize(n, threads)));
      const starts = ranges.map(([start]) => start);
      expect(starts).toEqual([...starts].sort((a, b) => (descending ? b - a : a - b)));
    }
  });

  it("taken last first start with the short tail chunk and end with the chunk at 0", () => {
    const ctrl = job(1027, 2, true); // chunks of 132: the last one holds 1027 − 7·132 = 103 items
    const ranges: [number, number][] = [];
    takeChunks(ctrl, (s, e) => ranges.push([s, e]));
    expect(ranges[0]).toEqual([924, 1027]);
    expect(ranges.at(-1)).toEqual([0, 132]);
  });

  it("go on after a chunk throws, and report the first error", () => {
    const ctrl = job(64, 2);
    const done: number[] = [];
    const error = takeChunks(ctrl, (s) => {
      if (s === 8) throw new RangeError("chunk at 8");
      done.push(s);
    });
    expect(error).toBeInstanceOf(RangeError);
    expect(done).toEqual([0, 16, 24, 32, 40, 48, 56]); // chunks of 8; the one at 8 threw
  });

  it("spin until a value changes, or give up after the spins", () => {
    const ctrl = new Int32Array(new SharedArrayBuffer(8));
    expect(spinUntilChanged(ctrl, 0, 0, 1000)).toBe(false);
    ctrl[0] = 1;
    expect(spinUntilChanged(ctrl, 0, 0, 1000)).toBe(true);
  });
});
