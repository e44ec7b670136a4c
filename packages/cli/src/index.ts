/**
 * @gemma-edge/cli — the `gemma-edge` command: generate, tokenize, inspect, bench, scan. `main` runs one command with
 * the given I/O and returns its exit code: 0 ok, 1 a typed error (message only, no stack), 2 a usage mistake.
 */
import { bench } from "./commands/bench.js";
import { generate } from "./commands/generate.js";
import { inspect } from "./commands/inspect.js";
import { scan } from "./commands/scan.js";
import { tokenize } from "./commands/tokenize.js";
import { type Io, processIo, UsageError } from "./io.js";

export { type Io, processIo, UsageError } from "./io.js";

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  generate,
  tokenize,
  inspect,
  bench,
  scan,
};

const USAGE = `usage: gemma-edge <command> [options]
  generate --model PATH (--prompt TEXT | --prompt-ids 2,651,… | --chat TEXT) [--max-tokens N] [--temperature T]
           [--top-k K] [--top-p P] [--seed S] [--threads N] [--json]
  tokenize --model PATH --text TEXT [--bos] [--json]
  inspect  --model PATH [--json]
  bench    --model PATH [--threads N] [--prompt-tokens 128] [--gen-tokens 64] [--json]
  scan     [--policy FILE] [--stage input|output] [--json]      (reads standard input)
`;

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.stderr(name === undefined || name === "--help" || name === "help" ? USAGE : `unknown command ${name}\n${USAGE}`);
    return name === undefined || name === "--help" || name === "help" ? 0 : 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`gemma-edge ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    const e = error as Error;
    io.stderr(`gemma-edge ${name}: ${e.name ?? "Error"}: ${e.message}\n`);
    return 1;
  }
}
