import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../spec/errors.js';
import { CHUNK_BYTES, fileChunks } from './file-chunks.js';

/** Largest file read whole (a dataset, a replay file, a labels file): 512 MiB. Bigger ones are refused, not half-read. */
export const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024;
/** Longest line of a JSONL file read line by line (attempts, responses to judge): 64 MiB. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Offset of the first byte of `bytes` that is not part of valid UTF-8 (a stray byte, a truncated or overlong sequence,
 * a surrogate), or -1 when it is all valid.
 *
 * @example
 * firstInvalidUtf8(Buffer.from([0x61, 0xe9, 0x62])) // 1 (a Latin-1 'é')
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index];
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || index + length > bytes.length) return index;
    const second = bytes[index + 1];
    const secondOk =
      lead === 0xe0 ? second >= 0xa0 && second <= 0xbf :
      lead === 0xed ? second >= 0x80 && second <= 0x9f :
      lead === 0xf0 ? second >= 0x90 && second <= 0xbf :
      lead === 0xf4 ? second >= 0x80 && second <= 0x8f :
      second >= 0x80 && second <= 0xbf;
    if (!secondOk) return index;
    for (let next = 2; next < length; next += 1) if ((bytes[index + next] & 0xc0) !== 0x80) return index;
    index += length;
  }
  return -1;
}

/** The DatasetError for bytes that are not UTF-8, at the line and column of the first bad byte. */
function invalidUtf8Error(bytes: Uint8Array, file: string, firstLine = 1): DatasetError {
  const offset = firstInvalidUtf8(bytes);
  let line = firstLine;
  let lineStart = 0;
  for (let index = 0; index < offset; index += 1) {
    if (bytes[index] === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
  }
  const column = offset - lineStart + 1;
  const byte = bytes[offset].toString(16).toUpperCase().padStart(2, '0');
  return new DatasetError(
    `not valid UTF-8: byte 0x${byte} at byte ${column} of the line. redcard reads UTF-8 only; if the file is Latin-1 or Windows-1252, convert it first: iconv -f WINDOWS-1252 -t UTF-8 '${file}' > '${file}.utf8'`,
    file,
    line,
  );
}

/**
 * A file to read as data: a regular file within the size limit, or a DatasetError naming it.
 *
 * @example
 * checkReadableFile('suite.jsonl');
 */
export function checkReadableFile(file: string, maxBytes = MAX_WHOLE_FILE_BYTES): void {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (error as Error).message, file);
  }
  if (stats.isDirectory()) throw new DatasetError('is a directory, expected a file', file);
  if (!stats.isFile()) throw new DatasetError('is not a regular file (a FIFO, socket or device); save the data to a file and pass that', file);
  if (stats.size > maxBytes) {
    throw new DatasetError(`is ${(stats.size / 1024 / 1024).toFixed(0)} MiB, more than the ${(maxBytes / 1024 / 1024).toFixed(0)} MiB redcard reads whole; split it into several files`, file);
  }
}

/**
 * The text of a file read whole (a dataset, a replay or labels file), strictly UTF-8, gunzipped first when it is gzip
 * (`test.jsonl.gz`; its decompressed size is bounded by `maxBytes` too): a leading BOM is dropped; a
 * UTF-16 file, invalid bytes (Latin-1, Windows-1252, binary), a FIFO or device, or a file over `maxBytes` is a
 * DatasetError naming the file (and line), never text with replacement characters or a read that blocks forever.
 *
 * @example
 * const text = readTextFile('harmbench_behaviors_text_all.csv');
 */
export function readTextFile(file: string, options: { maxBytes?: number } = {}): string {
  checkReadableFile(file, options.maxBytes ?? MAX_WHOLE_FILE_BYTES);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new DatasetError((error as Error).message, file);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzip(bytes, file, options.maxBytes ?? MAX_WHOLE_FILE_BYTES);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DatasetError('is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8', file, 1);
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return strictDecoder.decode(bytes.subarray(start));
  } catch {
    throw invalidUtf8Error(bytes, file);
  }
}

/** The bytes of a gzip file, or a DatasetError when it is damaged or decompresses to more than `maxBytes`. */
function gunzip(bytes: Buffer, file: string, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetError(`decompresses to more than the ${(maxBytes / 1024 / 1024).toFixed(0)} MiB redcard reads whole; split it into several files`, file);
    }
    throw new DatasetError(`is not a valid gzip file (${(error as Error).message}); decompress it with gunzip to see what is wrong`, file);
  }
}

/**
 * Whether a file starts with the gzip magic bytes (`readTextFile` gunzips such a file; a line reader cannot).
 *
 * @example
 * isGzipFile('test.jsonl.gz') // true
 */
export function isGzipFile(file: string): boolean {
  const head = Buffer.alloc(2);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    return readSync(descriptor, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/** One line of a text file read line by line, with its 1-based number. */
export interface NumberedLine {
  text: string;
  number: number;
}

/** Splits chunks of a file into numbered, strictly UTF-8 lines (shared by the async and the sync line readers). */
class LineAssembler {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #number = 0;
  #first = true;

  constructor(
    readonly file: string,
    readonly maxLineBytes: number,
  ) {}

  #finish(bytes: Buffer): NumberedLine {
    this.#number += 1;
    let line = bytes;
    if (this.#first) {
      this.#first = false;
      if (line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    }
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    try {
      return { text: strictDecoder.decode(line), number: this.#number };
    } catch {
      throw invalidUtf8Error(line, this.file, this.#number);
    }
  }

  #tooLong(): DatasetError {
    return new DatasetError(`line longer than ${(this.maxLineBytes / 1024 / 1024).toFixed(0)} MiB; is this a JSONL file (one record per line)?`, this.file, this.#number + 1);
  }

  /** The lines a chunk completes (the chunk may be reused once they are read: the unfinished line is copied). */
  *push(chunk: Buffer): Generator<NumberedLine> {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      if (this.#pendingBytes + newline - start > this.maxLineBytes) throw this.#tooLong();
      const piece = chunk.subarray(start, newline);
      const bytes = this.#pending.length === 0 ? piece : Buffer.concat([...this.#pending, piece]);
      this.#pending = [];
      this.#pendingBytes = 0;
      yield this.#finish(bytes);
      start = newline + 1;
    }
    if (start < chunk.length) {
      this.#pendingBytes += chunk.length - start;
      if (this.#pendingBytes > this.maxLineBytes) throw this.#tooLong();
      this.#pending.push(Buffer.from(chunk.subarray(start)));
    }
  }

  /** The last line, when the file does not end with a newline. */
  *end(): Generator<NumberedLine> {
    if (this.#pendingBytes > 0) yield this.#finish(Buffer.concat(this.#pending));
  }
}

/** A read error as a DatasetError naming the file. */
function readError(error: unknown, file: string): DatasetError {
  if (error instanceof DatasetError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new DatasetError(code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message, file);
}

/**
 * The lines of a file, streamed (constant memory for any file size; FIFOs and `/dev/stdin` work), strictly UTF-8:
 * `\n` or `\r\n` ends a line, a leading BOM is dropped, invalid bytes are a DatasetError at their line, and a line
 * longer than `maxLineBytes` is a DatasetError instead of an out-of-memory crash.
 *
 * @example
 * for await (const { text, number } of readTextLines('responses.jsonl')) parse(text, number);
 */
export async function* readTextLines(file: string, options: { maxLineBytes?: number } = {}): AsyncGenerator<NumberedLine> {
  const lines = new LineAssembler(file, options.maxLineBytes ?? MAX_LINE_BYTES);
  try {
    for await (const chunk of fileChunks(file)) yield* lines.push(chunk);
  } catch (error) {
    throw readError(error, file);
  }
  yield* lines.end();
}

/**
 * The lines of a regular file read synchronously, 1 MiB at a time (constant memory; for readers that must be sync, such
 * as a suite read again as a scan's plan needs it); as `readTextLines`, and a UTF-16 file is named as such.
 *
 * @example
 * for (const { text, number } of readTextLinesSync('suite.jsonl')) parse(text, number);
 */
export function* readTextLinesSync(file: string, options: { maxLineBytes?: number } = {}): Generator<NumberedLine> {
  const lines = new LineAssembler(file, options.maxLineBytes ?? MAX_LINE_BYTES);
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch (error) {
    throw readError(error, file);
  }
  try {
    // One buffer for every chunk (see fileChunks): the line assembler copies the unfinished line it keeps.
    const chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    for (let first = true; ; first = false) {
      let read: number;
      try {
        read = readSync(descriptor, chunk, 0, chunk.length, null);
      } catch (error) {
        throw readError(error, file);
      }
      if (read === 0) break;
      if (first && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
        throw new DatasetError('is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8', file, 1);
      }
      yield* lines.push(chunk.subarray(0, read));
    }
  } finally {
    closeSync(descriptor);
  }
  yield* lines.end();
}
