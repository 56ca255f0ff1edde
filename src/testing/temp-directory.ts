import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every directory made by this process, removed when it exits. */
const created: string[] = [];

/**
 * A fresh directory under the system's temporary directory (`os.tmpdir()`: `$TMPDIR`, else /tmp), named `prefix` and
 * six random characters, removed with everything in it when the test file's process exits. Call it at module level
 * for a file-wide workspace or inside a test for one of its own.
 *
 * Removal waits for the exit rather than a node:test `after()` hook: such a hook runs in registration order at the end
 * of whichever test registered it (or, at module level, before the hooks the file registers later), so the directory
 * could go while a store, server or child process in it was still to be closed. At exit every test and hook has run.
 * A directory that cannot be removed is named on stderr and fails the file (exit code 1).
 *
 * @example
 * const workspace = tempDirectory('redcard-scan-');
 * const store = openStore(join(workspace, 'r.db'));
 */
export function tempDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  if (created.length === 0) process.once('exit', removeCreated);
  created.push(directory);
  return directory;
}

function removeCreated(): void {
  for (const directory of created) {
    try {
      rmSync(directory, { recursive: true, force: true });
    } catch (error) {
      process.stderr.write(`tempDirectory: could not remove ${directory}: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}
