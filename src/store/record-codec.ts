import type { z } from 'zod';
import { AttemptSchema, oneTurnTrajectory, type Attempt } from '../spec/attempt.js';
import { JudgeCalibrationSchema, type JudgeCalibration } from '../spec/calibration.js';
import { RedcardError } from '../spec/errors.js';
import { READABLE_RUN_RECORD_VERSIONS, RUN_RECORD_VERSION, RunRecordSchema, type RunRecord } from '../spec/run-record.js';

/**
 * How records are kept in the store, and read back checked. Every row is validated against its schema on read; a
 * corrupt row is a `RedcardError` naming the database, the run and the key, never a crash. Records of an older
 * schema version are upgraded on read (docs/run-record.md); a newer or unknown version is refused with a clear error.
 */

/** Schema version written into new attempt rows (the `version` column). */
export const ATTEMPT_ROW_VERSION = RUN_RECORD_VERSION;

/** A record that cannot be read: names where it is. */
export class CorruptRecordError extends RedcardError {
  constructor(message: string) {
    super('store', message);
    this.name = 'CorruptRecordError';
  }
}

function parseJson(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptRecordError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CorruptRecordError(`${where}: not a JSON object`);
  return value as Record<string, unknown>;
}

function checked<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join('.') || '(record)';
  throw new CorruptRecordError(`${where}: corrupt record, field '${field}': ${issue.message}`);
}

function checkVersion(version: unknown, what: string, where: string): number {
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new CorruptRecordError(`${where}: ${what} has no schema version (schemaVersion: ${JSON.stringify(version)})`);
  }
  if (version > RUN_RECORD_VERSION) {
    throw new RedcardError('store', `${where}: ${what} was written by a newer redcard (schema version ${version}; this one reads ${READABLE_RUN_RECORD_VERSIONS.join(' and ')}); upgrade redcard`);
  }
  if (!(READABLE_RUN_RECORD_VERSIONS as readonly number[]).includes(version)) {
    throw new RedcardError('store', `${where}: ${what} has unknown schema version ${version} (this redcard reads ${READABLE_RUN_RECORD_VERSIONS.join(' and ')})`);
  }
  return version;
}

/** A v1 target block kept `headers: {}` for every kind; v2 kinds own their settings, so an empty one is dropped. */
function upgradeTargetSettingsV1(target: unknown): unknown {
  if (typeof target !== 'object' || target === null) return target;
  const { headers, ...rest } = target as Record<string, unknown>;
  return headers !== undefined && (typeof headers !== 'object' || headers === null || Object.keys(headers).length > 0) ? target : rest;
}

/** A v1 run record as v2: its target as the only role, no accounting recorded, no budgets. */
function upgradeRunV1(record: Record<string, unknown>): Record<string, unknown> {
  const settings = (record.settings ?? {}) as Record<string, unknown>;
  const targets = (settings.targets ?? {}) as Record<string, unknown>;
  return {
    ...record,
    schemaVersion: 2,
    migratedFrom: 1,
    roles: { target: [record.target] },
    accounting: {},
    spent: { queries: 0, tokens: 0 },
    budgets: { attempt: {}, run: {} },
    settings: {
      ...settings,
      target: upgradeTargetSettingsV1(settings.target),
      ...(settings.targets === undefined ? {} : { targets: Object.fromEntries(Object.entries(targets).map(([name, value]) => [name, upgradeTargetSettingsV1(value)])) }),
    },
  };
}

/**
 * Read a run record row (any readable version) as the current version.
 *
 * @example
 * decodeRunRecord(row.record, `${path}: run ${id}`)
 */
export function decodeRunRecord(text: string, where: string): RunRecord {
  const value = parseJson(text, where);
  const version = checkVersion(value.schemaVersion, 'the run record', where);
  return checked(RunRecordSchema, version === 1 ? upgradeRunV1(value) : value, where);
}

/**
 * The text a run record is stored as.
 *
 * @example
 * encodeRunRecord(run)
 */
export function encodeRunRecord(record: RunRecord): string {
  return JSON.stringify(record);
}

/**
 * Read an attempt row as the current version. `version` is the row's `version` column (1 for rows written before
 * v2). A static attempt is stored without its one turn; it is derived here, as for v1 rows.
 *
 * @example
 * decodeAttempt(row.record, row.version, `${path}: run ${runId}, attempt ${key}`)
 */
export function decodeAttempt(text: string, version: number, where: string): Attempt {
  checkVersion(version, 'the attempt', where);
  const value = parseJson(text, where);
  if (version === 1) {
    const error = value.error as { stage?: string } | null | undefined;
    value.queries = value.response !== null && value.response !== undefined ? 1 : error?.stage === 'target' ? 1 : 0;
  }
  if (value.turns === undefined && value.strategy === undefined && Array.isArray(value.messages)) {
    value.turns = oneTurnTrajectory(value as unknown as Attempt);
  }
  return checked(AttemptSchema, value, where);
}

/**
 * The text an attempt is stored as: a static chain's one turn is left out (it is derived on read).
 *
 * @example
 * encodeAttempt(attempt)
 */
export function encodeAttempt(attempt: Attempt): string {
  if (attempt.strategy !== undefined) return JSON.stringify(attempt);
  const { turns: _turns, ...stored } = attempt;
  return JSON.stringify(stored);
}

/**
 * Read a saved calibration, checked.
 *
 * @example
 * decodeCalibration(row.record, `${path}: calibration of refusal`)
 */
export function decodeCalibration(text: string, where: string): JudgeCalibration {
  return checked(JudgeCalibrationSchema, parseJson(text, where), where);
}
