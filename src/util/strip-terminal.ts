/**
 * Terminal control sequences, removed from text redcard prints: model names, categories, run names and responses
 * are untrusted and could otherwise move the cursor, clear the screen, retitle the window, write the clipboard
 * (OSC 52), forge hyperlinks (OSC 8) or hide text. Each pattern is linear: payloads stop at the next ESC or terminator.
 */
const SEQUENCES = new RegExp(
  [
    // OSC (ESC ] or 8-bit 0x9d) … BEL or ST (ESC \ or 0x9c)
    '(?:\\u001b\\]|\\u009d)[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)',
    // DCS, SOS, PM, APC (ESC P/X/^/_ or 8-bit 0x90/0x98/0x9e/0x9f) … ST
    '(?:\\u001b[PX^_]|[\\u0090\\u0098\\u009e\\u009f])[^\\u001b\\u009c]*(?:\\u001b\\\\|\\u009c)',
    // CSI (ESC [ or 8-bit 0x9b): parameters, intermediates, final byte
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]',
    // any other escape: ESC, intermediates, final byte
    '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]',
  ].join('|'),
  'g',
);

/** C0 controls except tab and newline, DEL, C1 controls; and the bidirectional overrides that reorder what is shown. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` without terminal escape sequences (ANSI CSI, OSC, DCS…) and without other control characters, except newline
 * and tab; bidirectional override characters go too. What is left is printable text.
 *
 * @example
 * stripTerminalControls('model\u001b[2J\u001b]0;pwned\u0007 ok\r\n') // 'model ok\n'
 */
export function stripTerminalControls(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}

const RAW = Symbol('redcard.rawStream');

type WritableLike = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * A view of `stream` whose `write` strips terminal controls from every string or buffer written (see
 * stripTerminalControls); every other property (`isTTY`, `columns`, `on`…) is the stream's own. The CLI wraps stdout
 * and stderr once, so every command's output is covered. redcard's own cursor control goes through
 * writeTerminalControl.
 *
 * @example
 * const stdout = terminalSafeStream(process.stdout);
 * stdout.write('\u001b[31mred\u001b[0m\n'); // prints 'red'
 */
export function terminalSafeStream<S extends WritableLike>(stream: S): S {
  if ((stream as unknown as Record<symbol, unknown>)[RAW] !== undefined) return stream;
  return new Proxy(stream, {
    get(target, property) {
      if (property === RAW) return target;
      if (property === 'write') {
        return (chunk: unknown, ...rest: unknown[]) => {
          const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : chunk;
          return (target.write as (...parameters: unknown[]) => boolean)(typeof text === 'string' ? stripTerminalControls(text) : text, ...rest);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...parameters: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Write redcard's own control sequence (e.g. `\r\u001b[2K` to redraw a progress line) past the stripping of a
 * terminalSafeStream; on any other stream it is written as is.
 *
 * @example
 * writeTerminalControl(io.stderr, '\r\u001b[2K');
 */
export function writeTerminalControl(stream: NodeJS.WritableStream, sequence: string): void {
  const raw = (stream as unknown as Record<symbol, NodeJS.WritableStream | undefined>)[RAW] ?? stream;
  raw.write(sequence);
}
