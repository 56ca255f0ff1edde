import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/paths.js';

/** The CLI entry point, for tests that run redcard in a child process. */
export const REDCARD_BIN = join(PACKAGE_ROOT, 'bin', 'redcard.js');

/**
 * The exit code of a child process, waiting for it unless it has already exited (a listener added after the exit
 * would wait for ever). A signal's exit gives `null` as `child.once('exit')` would.
 *
 * @example
 * child.kill('SIGKILL');
 * await waitForExit(child);
 */
export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Wait (at most 15 s) until a scan in another process has committed `count` attempts to `database`.
 *
 * @example
 * await waitForCommitted(join(directory, 'r.db'), 40);
 */
export async function waitForCommitted(database: string, count: number): Promise<void> {
  for (let wait = 0; wait < 600; wait += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    try {
      const reader = new Database(database, { readonly: true, fileMustExist: true });
      const committed = (reader.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
      reader.close();
      if (committed >= count) return;
    } catch {
      // not created yet
    }
  }
}

/**
 * Start `redcard sim serve --port 0` as a real child process and read its URL from stdout (the benchmarks use it too).
 *
 * @example
 * const server = await spawnSimServe();
 * // … scan against server.url …
 * server.stop();
 */
export async function spawnSimServe(extra: string[] = []): Promise<{ url: string; stop: () => void; child: ChildProcess }> {
  const child = spawn(process.execPath, [REDCARD_BIN, 'sim', 'serve', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/v1/.exec(text);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`sim serve exited with ${code}: ${text}`)));
  });
  return { url, stop: () => child.kill('SIGTERM'), child };
}

/** A redcard child process: its exit code and everything it wrote. */
export interface FinishedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `redcard ARGS` in a child process; `started` resolves once it is spawned, `finished` when it exits.
 *
 * @example
 * const { finished } = spawnRedcard(['scan', '--target', 'sim', '--db', database]);
 * assert.equal((await finished).code, 0);
 */
export function spawnRedcard(args: string[], options: { cwd?: string } = {}): { child: ChildProcess; finished: Promise<FinishedProcess> } {
  const child = spawn(process.execPath, [REDCARD_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<FinishedProcess>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, finished };
}
