import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Container } from './read-rows.js';

/** Writes a filtered copy of a dataset in the container it was read from; rows arrive in order. */
export interface CopyWriter {
  write(row: unknown): void;
  /** Finish the file and move it into place (it is written beside the target, then renamed). */
  close(): void;
  /** Remove the unfinished file (the audit failed). */
  abort(): void;
}

const ROWS_PER_GROUP = 1000;

/** JSON text of a row; BigInt values (Parquet INT64 read as such) as numbers or strings. */
function rowJson(row: unknown): string {
  return JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value));
}

/** A text writer that buffers about 1 MB before each write. */
function textFile(path: string): { append(text: string): void; close(): void } {
  const descriptor = openSync(path, 'w', 0o644);
  let buffer = '';
  return {
    append(text) {
      buffer += text;
      if (buffer.length >= 1 << 20) {
        writeSync(descriptor, buffer);
        buffer = '';
      }
    },
    close() {
      if (buffer.length > 0) writeSync(descriptor, buffer);
      closeSync(descriptor);
    },
  };
}

/**
 * A filtered-copy writer: JSON Lines (one row per line), one JSON array (`[` rows separated by `,\n` `]`), or Parquet
 * with the source file's schema (row groups of 1,000 rows; `schema` from the source). The copy is written to
 * `PATH.partial` and renamed to PATH on close, so a failed audit never leaves a half-written copy under its name. The
 * Parquet writer is loaded only for a Parquet copy (an audit of JSON does not pay for it at start).
 *
 * @example
 * const writer = await createCopyWriter('clean.jsonl', 'jsonl');
 * writer.write(row);
 * writer.close();
 */
export async function createCopyWriter(path: string, container: Container, schema?: unknown[]): Promise<CopyWriter> {
  const partial = `${path}.partial`;
  const finish = (): void => renameSync(partial, path);
  const abort = (): void => rmSync(partial, { force: true });
  if (container === 'parquet') {
    if (schema === undefined) throw new Error('a Parquet copy needs the source schema');
    const columns = topLevelColumns(schema);
    const { ParquetWriter, fileWriter } = await import('hyparquet-writer');
    const writer = new ParquetWriter({ writer: fileWriter(partial), schema: schema as never, createdBy: 'redcard audit' });
    let rows: Record<string, unknown>[] = [];
    const flush = (): void => {
      if (rows.length === 0) return;
      writer.write({ columnData: columns.map((name) => ({ name, data: rows.map((row) => row[name] ?? null) })) as never, rowGroupSize: rows.length });
      rows = [];
    };
    return {
      write(row) {
        rows.push(row as Record<string, unknown>);
        if (rows.length >= ROWS_PER_GROUP) flush();
      },
      close() {
        flush();
        writer.finish();
        finish();
      },
      abort,
    };
  }
  const file = textFile(partial);
  let first = true;
  if (container === 'json') file.append('[');
  return {
    write(row) {
      if (container === 'json') {
        file.append(`${first ? '\n' : ',\n'}${rowJson(row)}`);
        first = false;
      } else {
        file.append(`${rowJson(row)}\n`);
      }
    },
    close() {
      if (container === 'json') file.append(first ? ']\n' : '\n]\n');
      file.close();
      finish();
    },
    abort() {
      try {
        file.close();
      } catch {
        // already closed
      }
      abort();
    },
  };
}

/** Names of the top-level columns of a Parquet schema (the root's direct children, in order). */
function topLevelColumns(schema: unknown[]): string[] {
  const elements = schema as Array<{ name: string; num_children?: number }>;
  const names: string[] = [];
  let index = 1;
  const skip = (position: number): number => {
    let next = position + 1;
    for (let child = 0; child < (elements[position]!.num_children ?? 0); child += 1) next = skip(next);
    return next;
  };
  while (index < elements.length) {
    names.push(elements[index]!.name);
    index = skip(index);
  }
  return names;
}
