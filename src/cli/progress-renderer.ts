import type { ScanProgress } from '../engine/scan-events.js';
import { writeTerminalControl } from '../util/strip-terminal.js';

function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return '?';
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** One progress line: done/total, percent, rate, ETA, errors, retries, cache hits. */
export function progressLine(progress: ScanProgress, barWidth = 0): string {
  const fraction = progress.total === 0 ? 1 : progress.done / progress.total;
  const rate = progress.elapsedMs > 0 ? (progress.sessionDone * 1000) / progress.elapsedMs : 0;
  const remaining = progress.total - progress.done;
  const eta = rate > 0 ? (remaining / rate) * 1000 : Number.POSITIVE_INFINITY;
  const filled = Math.round(fraction * barWidth);
  const bar = barWidth > 0 ? `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ` : '';
  return (
    `${bar}${progress.done}/${progress.total} (${(fraction * 100).toFixed(1)}%) ${rate.toFixed(0)}/s ` +
    `ETA ${remaining === 0 ? '0:00' : formatDuration(eta)} errors ${progress.errors} retries ${progress.retries}` +
    (progress.cacheHits > 0 ? ` cached ${progress.cacheHits}` : '')
  );
}

/**
 * Renders scan progress: a redrawn bar on a terminal, a plain line every `plainIntervalMs` otherwise (logs, CI).
 */
export class ProgressRenderer {
  #lastPlain = 0;
  #drawn = false;
  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly plainIntervalMs = 5000,
  ) {}

  update(progress: ScanProgress): void {
    if (this.stream.isTTY) {
      const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 70));
      writeTerminalControl(this.stream, '\r\u001b[2K');
      this.stream.write(progressLine(progress, width));
      this.#drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.#lastPlain >= this.plainIntervalMs) {
      this.#lastPlain = now;
      this.stream.write(`progress: ${progressLine(progress)}\n`);
    }
  }

  /** End the redrawn line (before printing anything else). */
  done(): void {
    if (this.#drawn) this.stream.write('\n');
    this.#drawn = false;
  }
}
