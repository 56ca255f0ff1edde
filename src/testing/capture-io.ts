import { PassThrough } from 'node:stream';
import type { CliIO } from '../cli/command.js';

/** A CliIO that captures stdout and stderr, for running commands in-process in tests. */
export interface CapturedIO extends CliIO {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
  /** Aborts `signal` (a Ctrl-C). */
  controller: AbortController;
}

/**
 * @example
 * const io = captureIO({ cwd: directory });
 * const code = await main(['runs', '--db', path], io);
 * assert.match(io.out(), /run-/);
 */
export function captureIO(
  options: { cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; isTTY?: boolean; columns?: number } = {},
): CapturedIO {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.isTTY ?? false, columns: options.columns ?? 80 });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const controller = new AbortController();
  return {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? controller.signal,
    controller,
    out: () => out,
    err: () => err,
  };
}
