import { PassThrough } from 'node:stream';
import type { CliIO } from '../cli/command.js';

/** A CliIO that captures stdout and stderr, for running commands in-process in tests. */
export interface CapturedIO extends CliIO {
  output(): string;
  errors(): string;
  controller: AbortController;
}

/**
 * @example
 * const io = captureIO();
 * const code = await main(['runs', '--db', path], io);
 * assert.match(io.output(), /run-/);
 */
export function captureIO(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CapturedIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const controller = new AbortController();
  return {
    stdout,
    stderr,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    signal: controller.signal,
    controller,
    output: () => out,
    errors: () => err,
  };
}
