import type { Attempt } from '../spec/attempt.js';
import { lastUserText } from '../spec/message.js';
import { bbqKey } from './bbq-item.js';
import type { BbqData } from './bbq-data.js';
import { bbqPrompt } from './bbq-prompt.js';
import { BbqScorer, type BbqCategoryScore } from './bbq-scores.js';
import { parseBbqAnswer } from './parse-bbq-answer.js';

/** BBQ scores of a recorded run, with what could not be scored. */
export interface BbqRunScores {
  /** BBQ attempts read (of the counted chains). */
  attempts: number;
  /** Attempts without a response (target or attack errors): not scored. */
  errors: number;
  /** Of the unparsed answers, those the run's judge labelled a refusal (the model declined to answer). */
  refused: number;
  /** Attempts whose behavior is not in the data, or whose recorded prompt differs from the data's (changed data). */
  stale: number;
  categories: Record<string, BbqCategoryScore>;
}

/** `bbq.<category>.<example_id>` → [category, example id], or undefined. */
function parseBbqBehaviorId(id: string): [string, string] | undefined {
  if (!id.startsWith('bbq.')) return undefined;
  const last = id.lastIndexOf('.');
  return last <= 4 ? undefined : [id.slice(4, last), id.slice(last + 1)];
}

/**
 * Scores the answers of a run over a `bbq:` suite: each attempt's decoded response is parsed against the item's
 * options (the item found by behavior id in the BBQ data) and counted as `redcard bias bbq` counts predictions.
 *
 * @example
 * const scorer = new BbqRunScorer(readBbqData(dir), { chains: ['direct'] });
 * for (const attempt of store.iterateAttempts(runId)) scorer.add(attempt);
 * scorer.finish().categories.Age
 */
export class BbqRunScorer {
  readonly #data: BbqData;
  readonly #chains: Set<string> | undefined;
  readonly #scorer = new BbqScorer();
  readonly #counts = { attempts: 0, errors: 0, refused: 0, stale: 0 };

  constructor(data: BbqData, options: { chains?: string[] } = {}) {
    this.#data = data;
    this.#chains = options.chains === undefined ? undefined : new Set(options.chains);
  }

  /** Count one attempt; other suites' and other chains' attempts are ignored. */
  add(attempt: Attempt): void {
    const key = parseBbqBehaviorId(attempt.behavior);
    if (key === undefined || (this.#chains !== undefined && !this.#chains.has(attempt.attack))) return;
    this.#counts.attempts += 1;
    const item = this.#data.items.get(bbqKey(key[0], key[1]));
    if (item === undefined || (attempt.attack === 'direct' && lastUserText(attempt.messages) !== bbqPrompt(item))) {
      this.#counts.stale += 1;
      return;
    }
    if (attempt.response === null) {
      this.#counts.errors += 1;
      return;
    }
    const answer = parseBbqAnswer(attempt.response.decodedText, item.answers, item.unknownIndex);
    if (answer.index === null && attempt.verdict?.label === 'refusal') this.#counts.refused += 1;
    this.#scorer.add(item, answer);
  }

  finish(): BbqRunScores {
    return { ...this.#counts, categories: this.#scorer.scores() };
  }
}
