import { DatasetError } from '../spec/errors.js';

/** One CSV record: its fields and the 1-based line on which it starts (for file:line messages). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parse RFC 4180 CSV: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF (or lone CR), a leading BOM.
 * Blank lines are skipped. Text after a closing quote is kept literally (tolerating common sloppy files); an
 * unterminated quote throws a DatasetError naming `file` and the line where the field began.
 *
 * @example
 * parseCsv('a,b\n"x, ""y""",z\n') // [{ fields: ['a','b'], line: 1 }, { fields: ['x, "y"', 'z'], line: 2 }]
 */
export function parseCsv(text: string, file = '<csv>'): CsvRecord[] {
  const records: CsvRecord[] = [];
  for (const record of csvRecords(text, file)) records.push(record);
  return records;
}

/**
 * The same parse as `parseCsv`, yielding records one at a time.
 *
 * @example
 * for (const { fields, line } of csvRecords(text, 'data.csv')) console.log(line, fields);
 */
export function* csvRecords(text: string, file = '<csv>'): Generator<CsvRecord> {
  const length = text.length;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (position < length) {
    const startLine = line;
    const code = text.charCodeAt(position);
    if (code === LF || code === CR) {
      position += code === CR && text.charCodeAt(position + 1) === LF ? 2 : 1;
      line += 1;
      continue;
    }
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let value = '';
      if (text.charCodeAt(position) === QUOTE) {
        const fieldLine = line;
        position += 1;
        for (;;) {
          const next = text.indexOf('"', position);
          if (next === -1) throw new DatasetError('unterminated quoted field', file, fieldLine);
          const chunk = text.slice(position, next);
          line += countLineBreaks(chunk);
          value += chunk;
          if (text.charCodeAt(next + 1) === QUOTE) {
            value += '"';
            position = next + 2;
          } else {
            position = next + 1;
            break;
          }
        }
      }
      let scan = position;
      while (scan < length) {
        const current = text.charCodeAt(scan);
        if (current === COMMA || current === LF || current === CR) break;
        scan += 1;
      }
      value += text.slice(position, scan);
      fields.push(value);
      position = scan;
      const stop = text.charCodeAt(position);
      if (stop === COMMA) {
        position += 1;
        continue;
      }
      endOfRecord = true;
      if (stop === CR) position += text.charCodeAt(position + 1) === LF ? 2 : 1;
      else if (stop === LF) position += 1;
      if (stop === CR || stop === LF) line += 1;
    }
    yield { fields, line: startLine };
  }
}

function countLineBreaks(chunk: string): number {
  let count = 0;
  for (let index = 0; index < chunk.length; index += 1) {
    const code = chunk.charCodeAt(index);
    if (code === LF) count += 1;
    else if (code === CR && chunk.charCodeAt(index + 1) !== LF) count += 1;
  }
  return count;
}
