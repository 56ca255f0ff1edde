import { writeTerminalControl } from '../util/strip-terminal.js';

/**
 * A byte count for people: `512 B`, `3.4 KiB`, `1.2 MiB`, `4.1 GiB`.
 *
 * @example
 * formatBytes(1536) // '1.5 KiB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * A download's progress on a terminal: `  LABEL: 42%` overwritten in place (nothing when not a terminal or the size
 * is unknown); `end()` returns to the start of the line before the next message.
 *
 * @example
 * const progress = percentLine(io.stderr, 'model.gguf');
 * progress.update(received, total); … progress.end();
 */
export function percentLine(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string): { update(received: number, total?: number): void; end(): void } {
  let lastPercent = -1;
  return {
    update(received, total) {
      if (!stream.isTTY || !total) return;
      const percent = Math.floor((received / total) * 100);
      if (percent === lastPercent) return;
      writeTerminalControl(stream, '\r');
      stream.write(`  ${label}: ${percent}% of ${formatBytes(total)}`);
      lastPercent = percent;
    },
    end() {
      if (stream.isTTY && lastPercent >= 0) writeTerminalControl(stream, '\r');
      lastPercent = -1;
    },
  };
}
