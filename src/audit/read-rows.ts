import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { FileMetaData } from 'hyparquet';
import { DatasetError } from '../spec/errors.js';
import { fileChunks } from '../util/file-chunks.js';
import { JsonArraySplitter, JsonStructureError, type ArrayElement } from './json-array-splitter.js';

/** How rows are stored in a file. */
export type Container = 'jsonl' | 'json' | 'parquet';

/** One row read from a file: its 0-based index, the line it starts on (JSON and JSONL), and its value or why not. */
export interface ReadRow {
  index: number;
  line?: number;
  value?: unknown;
  /** The row as the reader returned it, when `value` is a converted copy (Parquet INT64 as BigInt), for copies. */
  raw?: unknown;
  /** Set when the row could not be decoded (invalid JSON on a JSONL line). */
  error?: string;
}

/** Called as the file is read: bytes consumed so far. */
export type ProgressCallback = (bytesRead: number) => void;

/**
 * The container of a file: `.parquet` (or the PAR1 magic bytes) is Parquet; a file whose first non-blank character
 * is `[` is one JSON array; anything else is JSON Lines.
 *
 * @example
 * detectContainer('data.json') // 'json' when it starts with '['
 */
export function detectContainer(file: string): Container {
  let descriptor: number;
  try {
    if (statSync(file).isDirectory()) throw new DatasetError('is a directory, expected a file', file);
    descriptor = openSync(file, 'r');
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message, file);
  }
  try {
    const head = Buffer.alloc(4096);
    const length = readSync(descriptor, head, 0, head.length, 0);
    if (length >= 4 && head.toString('latin1', 0, 4) === 'PAR1') return 'parquet';
    if (file.toLowerCase().endsWith('.parquet')) return 'parquet';
    const text = head.toString('utf8', 0, length).replace(/^\uFEFF/, '');
    const first = text.match(/\S/)?.[0];
    return first === '[' ? 'json' : 'jsonl';
  } finally {
    closeSync(descriptor);
  }
}

/** Rows of a JSON Lines file, streamed; blank lines skipped; invalid JSON is a row with `error`. */
async function* readJsonlRows(file: string, onProgress?: ProgressCallback): AsyncGenerator<ReadRow> {
  let rest = '';
  let line = 0;
  let index = 0;
  let bytes = 0;
  let first = true;
  const rowOf = (text: string): ReadRow | undefined => {
    line += 1;
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    try {
      return { index: index++, line, value: JSON.parse(trimmed) };
    } catch (error) {
      return { index: index++, line, error: `invalid JSON: ${(error as Error).message}` };
    }
  };
  // Decoded as a read stream with `encoding: 'utf8'` decodes: characters split across chunks joined, invalid bytes U+FFFD.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of fileChunks(file)) {
    let text = decoder.write(chunk);
    bytes += chunk.length;
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    text = rest + text;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const row = rowOf(text.slice(start, end));
      start = end + 1;
      if (row !== undefined) yield row;
    }
    rest = text.slice(start);
    onProgress?.(bytes);
  }
  const last = rowOf(rest + decoder.end());
  if (last !== undefined) yield last;
}

/** Position in a JSON.parse error message ("… at position 123 …"), if any. */
function errorPosition(message: string): number | undefined {
  const match = /position "?(\d+)"?/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Line of a character offset within an element that starts on `line`. */
function lineWithin(text: string, line: number, offset: number | undefined): number {
  if (offset === undefined) return line;
  let lines = line;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) lines += 1;
  return lines;
}

/**
 * Elements of a file holding one JSON array, streamed (never the whole array in memory): {@link JsonArraySplitter}
 * cuts the elements out and `JSON.parse` parses each, with the line it starts on. Invalid JSON cannot be skipped
 * inside an array: it is a DatasetError naming the line, after the rows before it were yielded.
 */
async function* readJsonArrayRows(file: string, onProgress?: ProgressCallback): AsyncGenerator<ReadRow> {
  const splitter = new JsonArraySplitter();
  let index = 0;
  let bytes = 0;
  const parse = (element: ArrayElement): ReadRow => {
    try {
      return { index: index++, line: element.line, value: JSON.parse(element.text) };
    } catch (error) {
      const message = (error as Error).message;
      throw new DatasetError(`invalid JSON: ${message}`, file, lineWithin(element.text, element.line, errorPosition(message)));
    }
  };
  const structure = (error: unknown): never => {
    if (error instanceof JsonStructureError) throw new DatasetError(error.line === 1 && /starts with/.test(error.message) ? error.message : `invalid JSON: ${error.message}`, file, error.line);
    throw error;
  };
  for await (const buffer of fileChunks(file)) {
    bytes += buffer.length;
    let elements: ArrayElement[];
    try {
      elements = splitter.write(buffer);
    } catch (error) {
      // The rows completed before the broken structure are still rows.
      if (error instanceof JsonStructureError) for (const element of error.elements) yield parse(element);
      structure(error);
    }
    for (const element of elements!) yield parse(element);
    onProgress?.(bytes);
  }
  try {
    splitter.end();
  } catch (error) {
    structure(error);
  }
}

/** BigInt values (Parquet INT64) as numbers when exact, else strings, so rows can be written as JSON. */
function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) copy[key] = plainValue(entry);
    return copy;
  }
  return value;
}

/**
 * The Parquet reader and its codecs, loaded when a Parquet file is first read (some 60 ms, and a WebAssembly module,
 * that an audit of JSON does not pay for at start).
 */
async function parquetModules() {
  const [hyparquet, { compressors }] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
  return { ...hyparquet, compressors };
}

/** Rows of a Parquet file, one row group at a time (hyparquet; gzip, zstd, brotli, lz4 via hyparquet-compressors). */
async function* readParquetRows(file: string, onProgress?: ProgressCallback): AsyncGenerator<ReadRow> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, compressors } = await parquetModules();
  let buffer;
  let metadata: FileMetaData;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new DatasetError(`not a readable Parquet file: ${(error as Error).message}`, file);
  }
  let rowStart = 0;
  let bytes = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, compressors });
    } catch (error) {
      throw new DatasetError(`cannot read Parquet rows ${rowStart}–${rowEnd - 1}: ${(error as Error).message}`, file);
    }
    for (let offset = 0; offset < rows.length; offset += 1) yield { index: rowStart + offset, value: plainValue(rows[offset]), raw: rows[offset] };
    rowStart = rowEnd;
    bytes += Number(group.total_byte_size);
    onProgress?.(bytes);
  }
}

/**
 * Rows of a dataset file in its container, streamed.
 *
 * @example
 * for await (const row of readRows('sharegpt.json', 'json')) console.log(row.index, row.line);
 */
export function readRows(file: string, container: Container, onProgress?: ProgressCallback): AsyncGenerator<ReadRow> {
  if (container === 'parquet') return readParquetRows(file, onProgress);
  return container === 'json' ? readJsonArrayRows(file, onProgress) : readJsonlRows(file, onProgress);
}

/** The Parquet schema of a file (for writing a filtered copy with the same schema). */
export async function parquetFileSchema(file: string): Promise<unknown[]> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await parquetModules();
  return (await parquetMetadataAsync(await asyncBufferFromFile(file))).schema as unknown[];
}
