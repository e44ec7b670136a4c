/** Types of the WGSL preprocessor (scripts/wgsl.mjs), for the test that checks the generated module. */
export declare const WGSL_DIR: string;
export declare const GENERATED: string;
export declare const FORMATS: readonly string[];
export declare function preprocess(source: string, read: (path: string) => string, seen?: Set<string>): string;
export declare function buildShaders(dir?: string): Record<string, string>;
export declare function generatedModule(shaders?: Record<string, string>): string;
