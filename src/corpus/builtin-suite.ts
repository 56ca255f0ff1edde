import { readFile } from 'node:fs/promises';
import { BehaviorSchema, type Behavior } from '../spec/behavior.js';
import { DatasetError } from '../spec/errors.js';

const cache = new Map<string, Promise<readonly Behavior[]>>();

/**
 * Behaviors of a built-in JSONL suite (one BehaviorSchema object per line, blank lines ignored), read once per
 * process and cached by path. The returned behaviors are frozen because every caller shares them.
 * A malformed line fails the whole file: built-in suites ship with the package and are checked by a contract test,
 * so `lenient` does not apply to them.
 *
 * @throws DatasetError naming `file:line` and the zod issue path for invalid JSON, a schema violation or a duplicate id.
 * @example
 * const behaviors = await loadBuiltinSuite(dataPath('suites', 'core.jsonl'));
 */
export function loadBuiltinSuite(file: string): Promise<readonly Behavior[]> {
  let pending = cache.get(file);
  if (pending === undefined) {
    pending = readFile(file, 'utf8').then((text) => parseBuiltinSuite(text, file));
    // A failed read is not cached, so a fixed file can be read again in the same process.
    pending.catch(() => cache.delete(file));
    cache.set(file, pending);
  }
  return pending;
}

/**
 * Parse the text of a JSONL suite; `file` is only used in error messages.
 *
 * @example
 * parseBuiltinSuite('{"id":"a","text":"t","category":"vcr","source":"x"}\n', 'inline.jsonl')
 */
export function parseBuiltinSuite(text: string, file: string): readonly Behavior[] {
  const behaviors: Behavior[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '') continue;
    const lineNumber = index + 1;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`invalid JSON: ${(error as Error).message}`, file, lineNumber);
    }
    const parsed = BehaviorSchema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length > 0 ? `field '${issue.path.map(String).join('.')}'` : 'row';
      throw new DatasetError(`${where}: ${issue.message}`, file, lineNumber);
    }
    const firstLine = seen.get(parsed.data.id);
    if (firstLine !== undefined) {
      throw new DatasetError(`duplicate id '${parsed.data.id}' (first on line ${firstLine})`, file, lineNumber);
    }
    seen.set(parsed.data.id, lineNumber);
    behaviors.push(deepFreeze(parsed.data));
  }
  return Object.freeze(behaviors);
}

function deepFreeze(behavior: Behavior): Behavior {
  Object.freeze(behavior.tags);
  return Object.freeze(behavior);
}
