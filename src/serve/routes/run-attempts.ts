import type { Attempt } from '../../spec/attempt.js';
import type { Store } from '../../store/store-api.js';
import { humanVerdicts, type HumanVerdict } from '../agreement/human-verdicts.js';
import type { ServeDatabase } from '../db/serve-database.js';
import { matchesFilter } from '../db/tasks.js';

/** Filters of the run browser (query parameters of `/runs/:id` and `GET /api/runs/:id/attempts`). */
export interface AttemptQuery {
  hazard?: string;
  attack?: string;
  /** refusal, compliance, partial, error, attack-success, undetermined. */
  verdict?: string;
  /** `human`: the judge and the settled human label disagree; `any`: that, or the judge was undetermined. */
  disagreement?: 'human' | 'any';
  offset: number;
  limit: number;
}

/** One attempt as the browser lists it, with what people settled about it. */
export interface ListedAttempt {
  attempt: Attempt;
  human: HumanVerdict | undefined;
  /** True when the judge's harmful verdict and the human one differ. */
  disagrees: boolean;
}

/** Read the query parameters of the run browser, with bounds. */
export function parseAttemptQuery(query: Record<string, string | undefined>): AttemptQuery {
  const number = (value: string | undefined, fallback: number, max: number): number => {
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed >= 0 ? Math.min(parsed, max) : fallback;
  };
  const text = (value: string | undefined): string | undefined => (value && value.length <= 200 ? value : undefined);
  const disagreement = query.disagreement === 'human' || query.disagreement === 'any' ? query.disagreement : undefined;
  return { hazard: text(query.hazard), attack: text(query.attack), verdict: text(query.verdict), disagreement, offset: number(query.offset, 0, 10_000_000), limit: number(query.limit, 50, 500) || 50 };
}

/**
 * The attempts of a run that pass the filters, one page of them, streaming the run (never all in memory), plus the
 * facets (hazards and vectors present) for the filter form.
 *
 * @example
 * listAttempts(db, store, runId, parseAttemptQuery({ hazard: 'vcr', disagreement: 'human' }))
 */
export function listAttempts(db: ServeDatabase, store: Store, runId: string, query: AttemptQuery): { rows: ListedAttempt[]; matched: number; hazards: string[]; attacks: string[] } {
  const humans = humanVerdicts(db, runId);
  const hazards = new Set<string>();
  const attacks = new Set<string>();
  const rows: ListedAttempt[] = [];
  let matched = 0;
  for (const attempt of store.iterateAttempts(runId)) {
    hazards.add(attempt.category);
    attacks.add(attempt.attack);
    if (!matchesFilter(attempt, query)) continue;
    const human = humans.get(attempt.key);
    const judged = attempt.verdict?.harmful;
    const disagrees = human?.harmful != null && typeof judged === 'boolean' && judged !== (human.harmful === 'yes');
    if (query.disagreement === 'human' && !disagrees) continue;
    if (query.disagreement === 'any' && !disagrees && attempt.verdict?.undetermined === undefined) continue;
    if (matched >= query.offset && rows.length < query.limit) rows.push({ attempt, human, disagrees });
    matched += 1;
  }
  return { rows, matched, hazards: [...hazards].sort(), attacks: [...attacks].sort() };
}
