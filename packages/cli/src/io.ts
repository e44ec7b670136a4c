/** What a command reads and writes, so tests can run commands in-process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  isTTY: boolean;
  /** Standard input as text (for `scan`). */
  readStdin(): Promise<string>;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stderr.isTTY === true,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** A usage mistake: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A loading progress line on TTYs: `loading 42%`. */
export function progressBar(io: Io): (p: { status: string; loaded?: number; total?: number }) => void {
  let last = -1;
  return (p) => {
    if (!io.isTTY) return;
    if (p.status === "progress" && p.total) {
      const pct = Math.floor((100 * (p.loaded ?? 0)) / p.total);
      if (pct !== last) io.stderr(`\rloading ${pct}%`);
      last = pct;
    } else if (p.status === "ready") io.stderr("\r            \r");
  };
}
