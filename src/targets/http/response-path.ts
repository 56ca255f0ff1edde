import { ConfigError } from '../../spec/errors.js';

/** One step of a response path: an object member or an array index (negative counts from the end). */
export type PathStep = { member: string } | { index: number };

/** A compiled response path: its source text, its steps, and `read(value)` that follows them. */
export interface ResponsePath {
  readonly source: string;
  readonly steps: readonly PathStep[];
  /** Follow the path; `found: false` says which step had nothing to follow. */
  read(value: unknown): { found: true; value: unknown } | { found: false; missing: string };
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

function describeStep(step: PathStep): string {
  if (!('member' in step)) return `[${step.index}]`;
  return NAME.exec(step.member)?.[0] === step.member ? `.${step.member}` : `[${JSON.stringify(step.member)}]`;
}

function parseQuoted(source: string, start: number, field: string): { text: string; end: number } {
  const quote = source[start];
  let text = '';
  for (let position = start + 1; position < source.length; position += 1) {
    const character = source[position];
    if (character === '\\') {
      const next = source[position + 1];
      if (next === undefined) break;
      text += next;
      position += 1;
    } else if (character === quote) {
      return { text, end: position + 1 };
    } else {
      text += character;
    }
  }
  throw new ConfigError(`response path '${source}': unclosed quote at character ${start + 1}`, { field });
}

/**
 * Compile a response path: a small, documented subset of JSONPath that names one value of a JSON answer.
 *
 * Grammar: `$` (the whole answer), then any number of `.name` (letters, digits, `_`, `$`, `-`; not starting with a
 * digit), `['name']` or `["name"]` (any member name, `\` escapes the next character), `[N]` (array index; `[-1]` is
 * the last element). A leading `$` may be left out (`choices[0].message.content`). Wildcards, filters, slices and
 * recursive descent are not supported: a path names exactly one value. A malformed path is a ConfigError naming
 * `field` and the character where it went wrong.
 *
 * @example
 * compileResponsePath('$.choices[0].message.content', 'target.responsePath').read(body)
 * // { found: true, value: 'Hello' }
 */
export function compileResponsePath(source: string, field: string): ResponsePath {
  const text = source.trim();
  if (text === '') throw new ConfigError('response path is empty (use $ for the whole answer)', { field });
  const steps: PathStep[] = [];
  let position = 0;
  if (text[0] === '$') position = 1;
  else {
    const first = NAME.exec(text);
    if (first === null && text[0] !== '[') {
      throw new ConfigError(`response path '${source}': expected $, a name or [ at character 1`, { field });
    }
    if (first !== null) {
      steps.push({ member: first[0] });
      position = first[0].length;
    }
  }
  while (position < text.length) {
    const character = text[position];
    if (character === '.') {
      const name = NAME.exec(text.slice(position + 1));
      if (name === null) {
        throw new ConfigError(`response path '${source}': expected a member name after '.' at character ${position + 2}${text[position + 1] === '.' ? " (recursive descent '..' is not supported)" : ''}`, { field });
      }
      steps.push({ member: name[0] });
      position += 1 + name[0].length;
    } else if (character === '[') {
      const inner = text[position + 1];
      if (inner === "'" || inner === '"') {
        const quoted = parseQuoted(text, position + 1, field);
        if (text[quoted.end] !== ']') throw new ConfigError(`response path '${source}': expected ']' at character ${quoted.end + 1}`, { field });
        steps.push({ member: quoted.text });
        position = quoted.end + 1;
      } else {
        const close = text.indexOf(']', position);
        const body = close === -1 ? '' : text.slice(position + 1, close).trim();
        if (!/^-?\d+$/.test(body)) {
          const what = body === '*' ? " (wildcards are not supported: a path names one value)" : body.includes(':') ? ' (slices are not supported)' : body.startsWith('?') ? ' (filters are not supported)' : '';
          throw new ConfigError(`response path '${source}': expected an integer index or a quoted name in [...] at character ${position + 1}${what}`, { field });
        }
        steps.push({ index: Number(body) });
        position = close + 1;
      }
    } else {
      throw new ConfigError(`response path '${source}': unexpected '${character}' at character ${position + 1} (expected '.' or '[')`, { field });
    }
  }
  return {
    source: text,
    steps,
    read(value) {
      let current: unknown = value;
      let walked = '$';
      for (const step of steps) {
        walked += describeStep(step);
        if ('member' in step) {
          if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step.member)) {
            return { found: false, missing: walked };
          }
          current = (current as Record<string, unknown>)[step.member];
        } else {
          if (!Array.isArray(current)) return { found: false, missing: walked };
          const index = step.index < 0 ? current.length + step.index : step.index;
          if (index < 0 || index >= current.length) return { found: false, missing: walked };
          current = current[index];
        }
      }
      return { found: true, value: current };
    },
  };
}
