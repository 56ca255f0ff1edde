import type { ParseArgsConfig } from 'node:util';

/** Where a command reads and writes; tests pass their own to run commands in-process. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C (SIGINT/SIGTERM); long commands stop cleanly when it fires. */
  signal: AbortSignal;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags and positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** One CLI command. The CLI is the only place that prints and sets exit codes. */
export interface Command {
  /** Command word, e.g. `scan`, or two words such as `sim serve` are handled by the command itself. */
  readonly name: string;
  /** One line for `redcard --help`. */
  readonly summary: string;
  /** Full usage text for `redcard NAME --help`. */
  readonly usage: string;
  /** Flags, in node:util parseArgs form. */
  readonly options: OptionsConfig;
  /**
   * String flags whose value may be left out (`--save` or `--save NAME`): given bare (last, or before another
   * `-`-flag) they parse as the empty string.
   */
  readonly optionalValueFlags?: readonly string[];
  /** Run; returns the exit code (0 ok, 1 failure, 2 bad usage/config, other codes as documented). */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** Identity helper that gives a command its type. */
export function defineCommand(command: Command): Command {
  return command;
}

/** Write a line to a stream. */
export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}
