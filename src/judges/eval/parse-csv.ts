/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parse RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines).
 * Returns every record, header included; an unterminated quote throws with the line it opened on.
 *
 * @example
 * parseCsv('a,b\n1,"x, y"\n') // [{ line: 1, fields: ['a','b'] }, { line: 2, fields: ['1','x, y'] }]
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 1;
        } else quoted = false;
      } else {
        if (character === '\n') line += 1;
        field += character;
      }
      continue;
    }
    if (character === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (character === ',') {
      fields.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line += 1;
      recordLine = line;
    } else field += character;
  }
  if (quoted) throw new SyntaxError(`unterminated quoted field opened on line ${quoteLine}`);
  fields.push(field);
  if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
  return records;
}
