/**
 * One element of a top-level JSON array: its source text (not yet parsed) and the 1-based line it starts on. The text
 * is decoded when first read, from the chunk it lies in: read it before the next chunk is written (the reader parses
 * each element before reading on), so that at most one element's text is alive at a time rather than a whole chunk's.
 */
export interface ArrayElement {
  readonly text: string;
  line: number;
}

/** An element within one chunk, decoded when its text is first read. */
class ChunkElement implements ArrayElement {
  #buffer: Buffer | undefined;
  #text = '';

  constructor(
    buffer: Buffer,
    readonly start: number,
    readonly end: number,
    readonly line: number,
  ) {
    this.#buffer = buffer;
  }

  get text(): string {
    if (this.#buffer !== undefined) {
      this.#text = this.#buffer.toString('utf8', this.start, this.end);
      this.#buffer = undefined;
    }
    return this.#text;
  }
}

/** The array's structure is broken (not its elements' syntax, which JSON.parse checks): what and on which line. */
export class JsonStructureError extends Error {
  /** Elements completed in the chunk before the error (they are whole and may be used). */
  elements: ArrayElement[] = [];

  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BOM = [0xef, 0xbb, 0xbf];
const isSpace = (byte: number): boolean => byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;

/**
 * Cuts a file holding one JSON array into the source text of its elements, chunk by chunk, without parsing them: it
 * follows only strings (quotes and backslash escapes) and bracket depth, and finds the commas and the closing bracket
 * of the top level. Each element is then parsed with the native `JSON.parse`, which checks its syntax; this is what
 * lets a large array stream at several times the speed of a token-by-token streaming parser (bench/audit.bench.mjs).
 * Memory holds one element at a time.
 *
 * @throws JsonStructureError (with the line) when the file is not one array, a top-level element is empty (`[1,,2]`,
 *   `[1,]`), or the file ends inside the array.
 * @example
 * const splitter = new JsonArraySplitter();
 * splitter.write(Buffer.from('[{"a": 1},\n {"b": "x,]"}]')).map((element) => element.line) // [1, 2]
 * splitter.end();
 */
export class JsonArraySplitter {
  /** 0: before the array; 1: inside it, between elements; deeper: inside an element. */
  #depth = 0;
  #ended = false;
  #inString = false;
  /** Backslashes that ended the previous chunk inside a string (their parity decides whether a quote is escaped). */
  #carriedBackslashes = 0;
  /** The current element has started (a non-space byte at depth 1). */
  #inElement = false;
  /** Bytes of the current element from earlier chunks. */
  #pieces: Buffer[] = [];
  #elementLine = 1;
  #line = 1;
  /** The last top-level separator was a comma (so `]` now is a trailing comma). */
  #afterComma = false;
  #first = true;
  /** Bytes of a UTF-8 byte-order mark seen at the start (3 once past it). */
  #bomBytes = 0;

  /**
   * Feed the next chunk; returns the elements completed in it. Read their texts before the chunk is overwritten (the
   * caller may then read the next chunk into the same buffer).
   */
  write(chunk: Buffer): ArrayElement[] {
    const elements: ArrayElement[] = [];
    try {
      this.#scan(chunk, elements);
    } catch (error) {
      if (error instanceof JsonStructureError) error.elements = elements;
      throw error;
    }
    return elements;
  }

  #scan(chunk: Buffer, elements: ArrayElement[]): void {
    const buffer = chunk;
    if (buffer.length > 0) this.#first = false;
    const length = buffer.length;
    let start = this.#inElement ? 0 : -1;
    let index = 0;
    while (index < length) {
      if (this.#inString) {
        const quote = buffer.indexOf(QUOTE, index);
        const to = quote === -1 ? length : quote;
        let run = 0;
        while (to - run - 1 >= index && buffer[to - run - 1] === BACKSLASH) run += 1;
        if (to - run === index) run += this.#carriedBackslashes;
        this.#carriedBackslashes = 0;
        if (quote === -1) {
          this.#carriedBackslashes = run;
          index = length;
          break;
        }
        if (run % 2 === 0) this.#inString = false;
        index = quote + 1;
        continue;
      }
      const byte = buffer[index]!;
      if (this.#ended) {
        if (!isSpace(byte)) throw new JsonStructureError('unexpected text after the end of the top-level array', this.#line);
        if (byte === NEWLINE) this.#line += 1;
        index += 1;
        continue;
      }
      if (this.#depth === 0) {
        const bom = this.#bomBytes < 3 && byte === BOM[this.#bomBytes];
        this.#bomBytes = bom ? this.#bomBytes + 1 : 3;
        if (bom) {
          index += 1;
          continue;
        }
        if (byte === OPEN_BRACKET) this.#depth = 1;
        else if (!isSpace(byte)) throw new JsonStructureError('expected a JSON array of rows (the file starts with something else)', this.#line);
        if (byte === NEWLINE) this.#line += 1;
        index += 1;
        continue;
      }
      if (this.#depth === 1 && !this.#inElement) {
        if (byte === NEWLINE) this.#line += 1;
        else if (byte === CLOSE_BRACKET) {
          if (this.#afterComma) throw new JsonStructureError('a trailing comma before the closing bracket', this.#line);
          this.#depth = 0;
          this.#ended = true;
        } else if (byte === COMMA) throw new JsonStructureError('an empty element (two commas, or a comma after the opening bracket)', this.#line);
        else if (!isSpace(byte)) {
          this.#inElement = true;
          this.#elementLine = this.#line;
          start = index;
          continue;
        }
        index += 1;
        continue;
      }
      // Inside an element.
      if (byte === QUOTE) this.#inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.#depth += 1;
      else if (byte === NEWLINE) this.#line += 1;
      else if ((byte === COMMA && this.#depth === 1) || ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && this.#depth === 1)) {
        if (byte === CLOSE_BRACE) throw new JsonStructureError("a '}' closes the top-level array", this.#line);
        elements.push(this.#finish(buffer, start, index));
        start = -1;
        this.#afterComma = byte === COMMA;
        if (byte === CLOSE_BRACKET) {
          this.#depth = 0;
          this.#ended = true;
        }
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) this.#depth -= 1;
      index += 1;
    }
    // Copied: the caller reads the next chunk into the same buffer.
    if (this.#inElement && start !== -1) this.#pieces.push(Buffer.from(buffer.subarray(start)));
  }

  /** The input is complete: throws when it stopped inside the array (or held no array). */
  end(): void {
    if (this.#ended) return;
    if (this.#first || this.#depth === 0) throw new JsonStructureError('no JSON array in the file', this.#line);
    throw new JsonStructureError(this.#inString ? 'the file ends inside a string' : 'the file ends before the array is closed', this.#line);
  }

  #finish(buffer: Buffer, start: number, end: number): ArrayElement {
    const line = this.#elementLine;
    this.#inElement = false;
    if (this.#pieces.length === 0) return new ChunkElement(buffer, start, end, line);
    this.#pieces.push(buffer.subarray(start, end));
    const text = Buffer.concat(this.#pieces).toString('utf8');
    this.#pieces = [];
    return { text, line };
  }
}
