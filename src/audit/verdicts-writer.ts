import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { MessageFinding } from './analyse-message.js';

/** Writes `--verdicts-out`: one JSON line per assistant message. */
export interface VerdictsWriter {
  write(row: string | number, turn: number, source: string, finding: MessageFinding): void;
  close(): void;
  abort(): void;
}

/**
 * A verdicts file: one line per assistant message with `row` (the row's id field, else its 0-based index), `turn`
 * (0-based message index in the conversation), `label`, `reason`, `score`, and `disclaimer`, `phrase`,
 * `undetermined`, `prefiltered` (true: passed by the pre-filter, not judged) and `source` when they apply. Written to `PATH.partial` and renamed when the audit completes.
 *
 * @example
 * const writer = createVerdictsWriter('verdicts.jsonl');
 * writer.write('row-1', 1, 'file.json', finding);
 * writer.close();
 */
export function createVerdictsWriter(path: string): VerdictsWriter {
  const partial = `${path}.partial`;
  const descriptor = openSync(partial, 'w', 0o644);
  let buffer = '';
  let open = true;
  const flush = (): void => {
    if (buffer.length > 0) writeSync(descriptor, buffer);
    buffer = '';
  };
  return {
    write(row, turn, source, finding) {
      const line: Record<string, unknown> = { row, turn, label: finding.label, reason: finding.reason, score: Number(finding.score.toFixed(4)) };
      if (finding.undetermined !== undefined) line.undetermined = finding.undetermined;
      if (finding.disclaimer !== undefined) line.disclaimer = finding.disclaimer.phrase;
      if (finding.phrase !== undefined) line.phrase = finding.phrase;
      if (finding.prefiltered === true) line.prefiltered = true;
      line.source = source;
      buffer += `${JSON.stringify(line)}\n`;
      if (buffer.length >= 1 << 20) flush();
    },
    close() {
      flush();
      closeSync(descriptor);
      open = false;
      renameSync(partial, path);
    },
    abort() {
      if (open) closeSync(descriptor);
      open = false;
      rmSync(partial, { force: true });
    },
  };
}
