import { basename } from 'node:path';
import type { Store } from '../store/store-api.js';
import { openBatchFiles, type BatchFileLimits } from './batch-file-writer.js';

/** What an export wrote. */
export interface BatchExport {
  files: Array<{ path: string; lines: number; bytes: number }>;
  lines: number;
}

/**
 * Write every call of run `runId` that waits for a Batch answer (recorded, exported before without an answer, or
 * failed and to be tried again) as OpenAI Batch input lines into `path` (split into `path-2`… at the Batch API's
 * limits), then mark them exported. The files appear whole or not at all; the store is marked only once they are.
 *
 * @example
 * const written = exportBatchCalls(store, run.id, 'requests.jsonl');
 * written.files.map((file) => file.path) // ['requests.jsonl']
 */
export function exportBatchCalls(store: Store, runId: string, path: string, limits: Partial<BatchFileLimits> = {}): BatchExport {
  store.getRun(runId); // an unknown run is a NotFoundError before any file is made
  const writer = openBatchFiles(path, limits);
  const ranges: Array<{ from: number; to: number }> = [];
  try {
    for (const call of store.iterateWaitingBatchCalls(runId)) {
      const part = writer.writeSerialized(call.request, call.customId);
      const range = (ranges[part - 1] ??= { from: call.sequence, to: call.sequence });
      range.to = call.sequence;
    }
    if (writer.lines === 0) {
      writer.abort();
      return { files: [], lines: 0 };
    }
    const files = writer.commit();
    store.transaction(() => {
      files.forEach((file, index) => store.markBatchCallsExported(runId, ranges[index].from, ranges[index].to, basename(file.path)));
    });
    return { files, lines: writer.lines };
  } finally {
    writer.abort();
  }
}
