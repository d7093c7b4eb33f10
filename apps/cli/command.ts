/**
 * One `uavmec` subcommand. Each lives in `commands/<name>.ts` and default-exports a `Command`;
 * `main.ts` lists them. `run` returns the process exit code (0 ok, 1 failure, 2 usage error)
 * and never calls `process.exit` itself, so commands can be run from tests.
 */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text: usage line, options with defaults, an example. */
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Thrown by option parsing; `main` prints the message and the command's help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A start or run failure caused by the environment or the input, not by a bug: an unreachable
 * broker or autopilot, a taken port, an unreadable file. `main` prints its one-line message
 * (which says what to do) and exits 1, without a stack trace.
 */
export class CommandError extends Error {
  override name = 'CommandError';
}
