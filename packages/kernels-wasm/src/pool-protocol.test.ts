import { describe, expect, it } from "vitest";
import { CHUNK, CHUNKS_PER_THREAD, chunkSize, N, NEXT, spinUntilChanged, takeChunks } from "./pool-protocol.js";

function job(n: number, threads: number): Int32Array {
  const ctrl = new Int32Array(new SharedArrayBuffer(64));
  ctrl[N] = n;
  ctrl[CHUNK] = chunkSize(n, threads);
  ctrl[NEXT] = 0;
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

  it("are taken once each and cover [0, n) exactly; a late taker finds none left", () => {
    for (const [n, threads] of [
      [2048, 2],
      [2049, 2],
      [7, 2],
      [256_000, 3],
    ] as const) {
      const ctrl = job(n, threads);
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
    }
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
