import { oneTurnTrajectory, type Attempt } from '../spec/attempt.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../spec/run-record.js';

/** Counts for one hazard × vector cell of a synthetic run. */
export interface SyntheticCell {
  hazard: string;
  vector: string;
  /** Judged harmful attempts, and how many of them succeed. */
  harmful: number;
  successes: number;
  /** Judged benign attempts, and how many are refused. */
  benign?: number;
  overRefusals?: number;
  /** Extra attempts that failed at the target. */
  errors?: number;
  /** Extra harmful attempts whose verdict the judge marked undetermined (`harmful: null`). */
  undetermined?: number;
  /** Extra harmful attempts answered with nothing (whitespace, or `finish_reason: length` with no text). */
  empty?: number;
}

/**
 * A run record for tests and demos (simulated target unless overridden).
 *
 * @example
 * syntheticRun({ id: 'run-a' })
 */
export function syntheticRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id: 'run-synthetic',
    configHash: 'cfg0',
    status: 'completed',
    createdAt: '2026-11-26T21:00:00.000Z',
    updatedAt: '2026-11-26T21:05:00.000Z',
    tool: { name: 'redcard', version: '0.1.0' },
    target: { kind: 'sim', label: 'sim:leaky', identity: 'sim:leaky', simulated: true },
    judge: 'refusal',
    suites: ['core'],
    attacks: ['direct', 'roleplay.grandma'],
    samples: 1,
    limit: null,
    planned: 0,
    params: { temperature: 0 },
    wallTimeMs: 12_345,
    settings: { target: { kind: 'sim', profile: 'leaky', seed: 7 } },
    roles: { target: [{ kind: 'sim', label: 'sim:leaky', identity: 'sim:leaky', simulated: true }] },
    accounting: {},
    spent: { queries: 0, tokens: 0 },
    budgets: { attempt: {}, run: {} },
    ...overrides,
  };
}

/**
 * Attempts that realise the given counts, in a stable order. Behavior `HAZARD.h<i>` is the i-th harmful attempt of
 * its cell, so the same behavior recurs across vectors (for worst-case robustness); the first `successes` succeed.
 * `responseFor` lets a test put chosen (e.g. hostile) text in the responses.
 *
 * @example
 * [...syntheticAttempts('run-a', [{ hazard: 'vcr', vector: 'direct', harmful: 10, successes: 2 }])].length // 10
 */
export function* syntheticAttempts(
  runId: string,
  cells: SyntheticCell[],
  responseFor: (cell: SyntheticCell, index: number, kind: 'success' | 'refusal' | 'benign') => string = (_, __, kind) =>
    kind === 'success' ? 'Sure. [REDACTED]' : kind === 'refusal' ? "I can't help with that." : 'Here is some general safety information.',
): Generator<Attempt> {
  for (const attempt of untracedAttempts(runId, cells, responseFor)) yield { ...attempt, turns: oneTurnTrajectory(attempt) };
}

function* untracedAttempts(
  runId: string,
  cells: SyntheticCell[],
  responseFor: (cell: SyntheticCell, index: number, kind: 'success' | 'refusal' | 'benign') => string,
): Generator<Omit<Attempt, 'turns'>> {
  let index = 0;
  const base = (cell: SyntheticCell, behavior: string, benign: boolean, sample: number): Omit<Attempt, 'response' | 'verdict' | 'error' | 'turns'> => {
    const key = `${behavior}|${cell.vector}|${sample}`;
    const attempt = {
      id: `a${index}`,
      runId,
      key,
      index,
      behavior,
      category: cell.hazard,
      benign,
      attack: cell.vector,
      sample,
      messages: [{ role: 'user' as const, content: `request for ${behavior} via ${cell.vector}` }],
      queries: 1,
      finishedAt: '2026-11-26T21:01:00.000Z',
    };
    index += 1;
    return attempt;
  };
  const response = (text: string) => ({
    text,
    decodedText: text,
    finishReason: { unified: 'stop' as const, raw: 'stop' },
    usage: { promptTokens: 10, completionTokens: 5 },
    latencyMs: 3,
    cached: false,
  });
  for (const cell of cells) {
    for (let i = 0; i < cell.harmful; i += 1) {
      const success = i < cell.successes;
      yield {
        ...base(cell, `${cell.hazard}.h${i}`, false, 0),
        response: response(responseFor(cell, i, success ? 'success' : 'refusal')),
        verdict: { label: success ? 'compliance' : 'refusal', harmful: success, score: success ? 0.9 : 0.1, judge: 'refusal' },
        error: null,
      };
    }
    for (let i = 0; i < (cell.benign ?? 0); i += 1) {
      const refused = i < (cell.overRefusals ?? 0);
      yield {
        ...base(cell, `${cell.hazard}.b${i}`, true, 0),
        response: response(responseFor(cell, i, refused ? 'refusal' : 'benign')),
        verdict: { label: refused ? 'refusal' : 'compliance', harmful: false, score: refused ? 0.1 : 0.9, judge: 'refusal' },
        error: null,
      };
    }
    for (let i = 0; i < (cell.undetermined ?? 0); i += 1) {
      yield {
        ...base(cell, `${cell.hazard}.u${i}`, false, 0),
        response: response('Here is an overview of the topic in general terms.'),
        verdict: { label: 'compliance', harmful: null, score: 0.5, judge: 'refusal', undetermined: 'low-confidence' },
        error: null,
      };
    }
    for (let i = 0; i < (cell.empty ?? 0); i += 1) {
      const truncated = i % 2 === 1;
      yield {
        ...base(cell, `${cell.hazard}.z${i}`, false, 0),
        response: { ...response(truncated ? '' : '  \n '), finishReason: truncated ? { unified: 'length' as const, raw: 'length' } : { unified: 'stop' as const, raw: 'stop' } },
        verdict: { label: 'refusal', harmful: false, score: 0.1, judge: 'refusal' },
        error: null,
      };
    }
    for (let i = 0; i < (cell.errors ?? 0); i += 1) {
      yield {
        ...base(cell, `${cell.hazard}.e${i}`, false, 0),
        response: null,
        verdict: null,
        error: { stage: 'target', message: 'HTTP 500 from server', status: 500, tries: 7 },
      };
    }
  }
}
