import { basename } from 'node:path';
import type { Store } from '../store/store-api.js';
import { openBatchFiles, type BatchFileLimits } from './batch-file-writer.js';
import { batchLineId } from './batch-lines.js';

/** A stored request line with the custom_id of the call's current try (the stored line has the call's key). */
function lineOfTry(request: string, key: string, tries: number): { json: string; customId: string } {
  if (tries <= 1) return { json: request, customId: key };
  const customId = batchLineId(key, tries);
  const prefix = `{"custom_id":${JSON.stringify(key)}`;
  if (request.startsWith(prefix)) return { json: `{"custom_id":${JSON.stringify(customId)}${request.slice(prefix.length)}`, customId };
  return { json: JSON.stringify({ ...(JSON.parse(request) as object), custom_id: customId }), customId };
}

/** What an export wrote. */
export interface BatchExport {
  files: Array<{ path: string; lines: number; bytes: number }>;
  lines: number;
}

/**
 * Write every call of run `runId` that waits for a Batch answer (recorded, exported before without an answer, or
 * failed and to be tried again, under its try's custom_id `KEY-rN`) as OpenAI Batch input lines into `path` (split into `path-2`… at the Batch API's
 * limits), then mark them exported. The files appear whole or not at all; the store is marked only once they are.
 *
 * @example
 * const written = exportBatchCalls(store, run.id, 'requests.jsonl');
 * written.files.map((file) => file.path) // ['requests.jsonl']
 */
export function exportBatchCalls(store: Store, runId: string, path: string, limits: Partial<BatchFileLimits> = {}, checkRun: () => void = () => void store.getRun(runId)): BatchExport {
  checkRun(); // an unknown run is a NotFoundError before any file is made (a scan's run unless told otherwise)
  const writer = openBatchFiles(path, limits);
  const ranges: Array<{ from: number; to: number }> = [];
  try {
    for (const call of store.iterateWaitingBatchCalls(runId)) {
      const line = lineOfTry(call.request, call.customId, call.tries);
      const part = writer.writeSerialized(line.json, line.customId);
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
