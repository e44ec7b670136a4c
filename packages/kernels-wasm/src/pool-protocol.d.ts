/** Types of pool-protocol.js (see there). */
export declare const GENERATION: 0;
export declare const PENDING: 1;
export declare const OP: 2;
export declare const N: 3;
export declare const THREADS: 4;
export declare const NARGS: 5;
export declare const FAILED: 6;
export declare const ARGS_BYTE_OFFSET: 64;
export declare const MAX_ARGS: 16;
export declare const NEXT: 7;
export declare const CHUNK: 8;
export declare const ORDER: 9;
export declare const CHUNKS_PER_THREAD: number;
export declare function chunkSize(n: number, threads: number): number;
export declare function takeChunks(ctrl: Int32Array, fn: (start: number, end: number) => void): unknown;
export declare const SPINS: number;
export declare function spinUntilChanged(ctrl: Int32Array, index: number, value: number, spins: number): boolean;
