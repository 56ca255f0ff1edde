import { parseArgs } from 'node:util';
import { commands, type CommandEntry } from './commands/index.js';
import { writeLine, type CliIO, type Command } from './command.js';
import { RedcardError, ConfigError, NotFoundError, DatasetError } from '../spec/errors.js';
import { toolVersion } from '../util/paths.js';
import { isSystemError, systemErrorReason } from '../util/file-system-error.js';
import { terminalSafeStream } from '../util/strip-terminal.js';
import { describeDatabaseError, isDatabaseError } from '../store/database-error.js';

function topHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    `redcard ${toolVersion()}: red-team an LLM, judge every response, publish a scorecard.`,
    '',
    'Usage: redcard <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `redcard <command> --help` for a command\'s options. Docs: docs/ in the package.',
  ].join('\n');
}

function defaultIO(): CliIO {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write('\nredcard: stopping cleanly… (press Ctrl-C again to force)\n');
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal };
}

/** Exit code for an error: 2 for a bad flag, config or dataset input, 130 when interrupted, 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof DatasetError) return 2;
  if (error instanceof RedcardError && error.code === 'aborted') return 130;
  return 1;
}

/**
 * Human message for an error: typed errors print their message only; so do the system's file errors (a full disk,
 * a permission) and database errors, in one line each; anything else unexpected prints a stack.
 */
export function describeError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DatasetError || error instanceof NotFoundError) return error.message;
  if (error instanceof RedcardError) return error.message;
  if (isSystemError(error)) return `${error.path ? `cannot ${error.syscall} ${error.path}: ` : `${error.syscall} failed: `}${systemErrorReason(error)}`;
  if (isDatabaseError(error)) return describeDatabaseError(error);
  if (error instanceof Error) return `internal error: ${error.stack ?? error.message}`;
  return `internal error: ${String(error)}`;
}

/**
 * Give bare optional-value flags an empty value, so that parseArgs accepts `--save` as well as `--save NAME`.
 *
 * @example
 * withOptionalValues(['--save', '--db', 'x.db'], ['save']) // ['--save=', '--db', 'x.db']
 */
export function withOptionalValues(args: string[], flags: readonly string[] = []): string[] {
  return args.map((arg, index) => {
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = args[index + 1];
    return name !== undefined && flags.includes(name) && (next === undefined || next.startsWith('-')) ? `${arg}=` : arg;
  });
}

/** Run the CLI with the given arguments; returns the exit code. Never calls process.exit itself. */
export async function main(argv: string[], rawIO: CliIO = defaultIO()): Promise<number> {
  // Everything a command prints passes through one filter: model names, categories and responses are untrusted, and
  // their terminal escape sequences never reach the terminal (redcard's own cursor control uses writeTerminalControl).
  const io: CliIO = { ...rawIO, stdout: terminalSafeStream(rawIO.stdout), stderr: terminalSafeStream(rawIO.stderr) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(io.stdout, topHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    writeLine(io.stdout, toolVersion());
    return 0;
  }
  const entry: CommandEntry | undefined = commands.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    writeLine(io.stderr, `redcard: unknown command '${name}'.\n\n${topHelp()}`);
    return 2;
  }
  const command: Command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(io.stdout, command.usage);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: withOptionalValues(rest, command.optionalValueFlags), options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    writeLine(io.stderr, `redcard ${name}: ${(error as Error).message}\n\n${command.usage}`);
    return 2;
  }
  try {
    return await command.run(parsed as never, io);
  } catch (error) {
    writeLine(io.stderr, `redcard ${name}: ${describeError(error)}`);
    return exitCodeFor(error);
  }
}
