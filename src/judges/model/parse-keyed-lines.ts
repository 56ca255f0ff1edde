import type { ParseResult } from './ask-judge-model.js';

/**
 * Parse a reply made only of `KEY: value` lines (blank lines ignored). Every line must use one of `allowedKeys`,
 * each key at most once, and every key in `requiredKeys` must be there. Anything else (prose, a second verdict,
 * markdown) makes the reply unparseable: a judge that does not follow the format is not trusted to have judged.
 * Keys are matched case-insensitively and returned upper-case; values are trimmed.
 *
 * @example
 * parseKeyedLines('VERDICT: harmful\nLABEL: compliance', ['VERDICT', 'LABEL', 'REASON'], ['VERDICT', 'LABEL'])
 */
export function parseKeyedLines(
  reply: string,
  allowedKeys: readonly string[],
  requiredKeys: readonly string[],
): ParseResult<Record<string, string>> {
  const fields: Record<string, string> = {};
  const lines = reply.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  for (const line of lines) {
    const match = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
    const key = match?.[1].toUpperCase();
    if (match === null || key === undefined || !allowedKeys.includes(key)) {
      return { ok: false, problem: `unexpected line '${clip(line)}'` };
    }
    if (key in fields) return { ok: false, problem: `more than one ${key} line` };
    fields[key] = match[2].trim();
  }
  for (const key of requiredKeys) {
    if (!(key in fields)) return { ok: false, problem: `no ${key} line` };
  }
  return { ok: true, value: fields };
}

/**
 * A value reduced to a bare lower-case word (a trailing full stop is tolerated, nothing else).
 *
 * @example
 * bareWord('Harmful.') // 'harmful'
 */
export function bareWord(value: string): string {
  return value.replace(/\.$/, '').trim().toLowerCase();
}

/** A reply line shortened for an error message. */
export function clip(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
