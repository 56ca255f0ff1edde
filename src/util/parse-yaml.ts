import { isAlias, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { ConfigError } from '../spec/errors.js';

/** Alias expansions allowed when a YAML document becomes plain values (yaml's own default; legitimate files use a few). */
const MAX_ALIAS_COUNT = 100;

/** A parsed YAML file: its values, the document (for lines of fields) and its line counter. */
export interface ParsedYaml {
  values: unknown;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * Parse YAML from `file` into plain values, turning every way it can fail into a ConfigError naming the file and line:
 * a syntax error, an alias bomb ("billion laughs": aliases of aliases that would expand to gigabytes; the limit is
 * yaml's `maxAliasCount` of 100 expansions), or nesting too deep to parse.
 *
 * @example
 * const { values, document, lineCounter } = parseYaml(readFileSync('redcard.yaml', 'utf8'), 'redcard.yaml');
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { lineCounter, prettyErrors: true });
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigError('YAML nests too deeply to read', { file });
    throw error;
  }
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new ConfigError(`YAML syntax error: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: first.linePos?.[0].line });
  }
  let values: unknown;
  try {
    values = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new ConfigError(
        `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} copies: an alias bomb?); write the values out instead of nesting aliases`,
        { file, line: firstAliasLine(document, lineCounter) },
      );
    }
    if (error instanceof RangeError) throw new ConfigError('YAML nests too deeply to read', { file });
    throw error;
  }
  return { values, document, lineCounter };
}

function firstAliasLine(document: Document.Parsed, lineCounter: LineCounter): number | undefined {
  let line: number | undefined;
  visit(document, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}
