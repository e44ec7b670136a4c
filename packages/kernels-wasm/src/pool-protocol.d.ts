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
export declare function slice(n: number, threads: number, index: number): [number, number];
