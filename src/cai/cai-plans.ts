import { loadDatasetCatalog } from '../corpus/dataset-puller.js';
import { loadSuites } from '../corpus/load-suites.js';
import { isAttackSuccess, type Attempt } from '../spec/attempt.js';
import { behaviorPrompt, type Behavior } from '../spec/behavior.js';
import { ConfigError } from '../spec/errors.js';
import { lastUserText } from '../spec/message.js';
import type { RunRecord } from '../spec/run-record.js';
import type { Store } from '../store/store-api.js';
import type { CaiItem } from './cai-records.js';
import type { PrefsUnit } from './prefs-unit.js';
import type { ReviseUnit } from './revise-unit.js';
import { finalRevision } from './export/training-rows.js';

/** A red-team run's failures (and optionally their benign twins), as the attempts that carry their answers. */
export interface RunFailures {
  run: RunRecord;
  /** Harmful attempts judged harmful, each followed by its benign twin's attempt when asked for and found. */
  attempts: Array<{ attempt: Attempt; behavior: Behavior }>;
  /** Failures whose benign twin was asked for but is not in the run. */
  twinsMissing: number;
}

/** A behavior for an attempt of a run whose suites could not be read back: the attempt's own fields. */
function attemptBehavior(attempt: Attempt): Behavior {
  return { id: attempt.behavior, text: lastUserText(attempt.messages), category: attempt.category, source: 'run', benign: attempt.benign, tags: [] };
}

/**
 * The failures of a red-team run: its attempts judged harmful (attack successes), in plan order; with `includeBenign`,
 * each followed by an attempt of its benign twin (the same attack and sample when the run has it, else the twin's
 * first attempt). Twins are found through the run's suites, which must still load.
 *
 * @example
 * const { attempts } = await runFailures(store, 'run-20261126-213500-ab12cd', { includeBenign: true });
 */
export async function runFailures(store: Store, runId: string, options: { includeBenign: boolean }): Promise<RunFailures> {
  const run = store.getRun(runId);
  let behaviors = new Map<string, Behavior>();
  try {
    behaviors = new Map((await loadSuites(run.suites)).behaviors.map((behavior) => [behavior.id, behavior]));
  } catch (error) {
    if (options.includeBenign) {
      throw new ConfigError(`--include benign finds benign twins through the run's suites (${run.suites.join(', ')}), which cannot be loaded: ${(error as Error).message}`, { field: 'include' });
    }
  }
  const failures: Attempt[] = [];
  const byBehavior = new Map<string, Attempt[]>();
  for (const attempt of store.iterateAttempts(runId)) {
    if (isAttackSuccess(attempt) && attempt.response !== null) failures.push(attempt);
    if (options.includeBenign && attempt.benign && attempt.error === null && attempt.response !== null) {
      byBehavior.set(attempt.behavior, [...(byBehavior.get(attempt.behavior) ?? []), attempt]);
    }
  }
  const attempts: RunFailures['attempts'] = [];
  const used = new Set<string>();
  let twinsMissing = 0;
  for (const attempt of failures) {
    attempts.push({ attempt, behavior: behaviors.get(attempt.behavior) ?? attemptBehavior(attempt) });
    if (!options.includeBenign) continue;
    const twinId = behaviors.get(attempt.behavior)?.twin;
    const candidates = twinId === undefined ? [] : (byBehavior.get(twinId) ?? []).filter((candidate) => !used.has(candidate.key));
    const twin = candidates.find((candidate) => candidate.attack === attempt.attack && candidate.sample === attempt.sample) ?? candidates[0];
    if (twin === undefined) {
      twinsMissing += 1;
      continue;
    }
    used.add(twin.key);
    attempts.push({ attempt: twin, behavior: behaviors.get(twin.behavior) ?? attemptBehavior(twin) });
  }
  return { run, attempts, twinsMissing };
}

/** The fields every unit planned from a red-team run's failure starts with: its key, position, behavior, prompt, origin. */
function unitFromFailure({ attempt, behavior }: RunFailures['attempts'][number], index: number) {
  return { key: attempt.key, index, behavior, prompt: lastUserText(attempt.messages), origin: `${attempt.runId}/${attempt.key}` };
}

/**
 * Revise units from a run's failures: the prompt as the attack chain sent it (the last user turn), the recorded
 * answer and verdict reused as the initial answer.
 *
 * @example
 * reviseUnitsFromRun(await runFailures(store, runId, { includeBenign: true }))
 */
export function reviseUnitsFromRun(failures: RunFailures): ReviseUnit[] {
  return failures.attempts.map((failure, index) => {
    const { attempt } = failure;
    const reused = { text: attempt.response!.text, verdict: attempt.verdict, usage: attempt.response!.usage, finishReason: attempt.response!.finishReason, model: failures.run.target.label };
    return { ...unitFromFailure(failure, index), reused };
  });
}

/**
 * Revise units from suites: every behavior (harmful and benign) with its prompt, to be answered by the target.
 *
 * @example
 * const { units } = await reviseUnitsFromSuites(['hh-rlhf:harmless-base/test.jsonl.gz'], { limit: 100 });
 */
export async function reviseUnitsFromSuites(suites: string[], options: { lenient?: boolean; limit?: number }): Promise<{ units: ReviseUnit[]; notes: Awaited<ReturnType<typeof loadSuites>>['notes'] }> {
  const loaded = await loadSuites(suites, { lenient: options.lenient });
  const behaviors = options.limit === undefined ? loaded.behaviors : loaded.behaviors.slice(0, options.limit);
  if (behaviors.length === 0) throw new ConfigError('the suites selected no behaviors', { field: 'suite' });
  return {
    units: behaviors.map((behavior, index) => ({ key: behavior.id, index, behavior, prompt: behaviorPrompt(behavior), origin: behavior.source })),
    notes: loaded.notes,
  };
}

/**
 * The licence of suites' prompts, as the dataset catalog names it per loader (`hh-rlhf` → MIT); redcard's own suites
 * are MIT; an unknown loader (a user's CSV) is undefined.
 *
 * @example
 * sourceLicence(['hh-rlhf:test.jsonl.gz']) // 'MIT'
 */
export function sourceLicence(suites: string[]): string | undefined {
  const catalog = loadDatasetCatalog();
  const licences = new Set<string>();
  for (const spec of suites) {
    const id = spec.split(':')[0]!;
    const licence = ['core', 'smoke', 'counterfactual'].includes(id) ? 'MIT' : catalog.datasets.find((entry) => entry.loader === id)?.licence;
    if (licence === undefined) return undefined;
    licences.add(licence);
  }
  return licences.size === 0 ? undefined : [...licences].join(', ');
}

/**
 * Prefs units from a finished revise run: each item's initial answer against its final revision (items with errors
 * are left out), with the verdicts already given.
 *
 * @example
 * prefsUnitsFromRevise(store.cai.iterateItems(reviseRunId))
 */
export function prefsUnitsFromRevise(items: Iterable<CaiItem>): PrefsUnit[] {
  const units: PrefsUnit[] = [];
  for (const item of items) {
    if (item.error !== null || item.rounds.length === 0) continue;
    const behavior: Behavior = { id: item.behavior, text: item.prompt, category: item.category, source: 'cai', benign: item.benign, tags: [] };
    units.push({
      key: item.key,
      index: units.length,
      behavior,
      prompt: item.prompt,
      origin: `${item.runId}/${item.key}`,
      answers: [
        { origin: 'initial', text: item.initial.text, verdict: item.initial.verdict },
        { origin: 'revision', text: finalRevision(item), verdict: item.rounds.at(-1)!.revision.verdict },
      ],
    });
  }
  return units;
}

/**
 * Prefs units from a red-team run's failures: the recorded answer against a new sample of the target for the same
 * conversation (sample index one past the attempt's).
 *
 * @example
 * prefsUnitsFromRun(await runFailures(store, runId, { includeBenign: false }))
 */
export function prefsUnitsFromRun(failures: RunFailures): PrefsUnit[] {
  return failures.attempts.map((failure, index) => {
    const { attempt } = failure;
    const answers: PrefsUnit['answers'] = [
      { origin: `sample-${attempt.sample}`, text: attempt.response!.text, verdict: attempt.verdict },
      { origin: `sample-${attempt.sample + 1}`, sample: attempt.sample + 1, messages: attempt.messages },
    ];
    return { ...unitFromFailure(failure, index), answers };
  });
}
