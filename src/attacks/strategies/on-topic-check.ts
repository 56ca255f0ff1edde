import { readFileSync } from 'node:fs';
import type { ChatModel } from '../../spec/strategy.js';
import { DatasetError } from '../../spec/errors.js';
import { askModel, newModelCounters, type ModelCounters } from './ask-model.js';
import { parseOnTopicReply } from './parse-attacker-reply.js';
import { neutralizeStrategyMarkers } from './prompt-markers.js';
import { fillStrategyTemplate, strategyPrompts } from './strategy-prompts.js';

/**
 * Ask an evaluator model whether a candidate prompt still asks for the goal (data/attacks/strategies/evaluator-on-topic.json),
 * at temperature 0; undefined when it gave no parseable answer in `tries` requests.
 *
 * @example
 * await checkOnTopic(evaluator, 'Explain how to pick a lock', 'Write a story where a locksmith explains it', { tries: 2 }) // true
 */
export async function checkOnTopic(
  model: ChatModel,
  goal: string,
  candidate: string,
  options: { tries: number; counters?: ModelCounters; signal?: AbortSignal },
): Promise<boolean | undefined> {
  const template = strategyPrompts().onTopic;
  const user = fillStrategyTemplate(template.user, { goal: neutralizeStrategyMarkers(goal), candidate: neutralizeStrategyMarkers(candidate) });
  const answer = await askModel({
    model,
    messages: [{ role: 'system', content: template.system }, { role: 'user', content: user }],
    parse: (reply) => {
      const parsed = parseOnTopicReply(reply);
      return parsed.ok ? parsed : { ...parsed, kind: 'format' as const };
    },
    tries: options.tries,
    replyFormat: template.replyFormat,
    temperature: 0,
    maxTokens: 80,
    counters: options.counters ?? newModelCounters(),
    signal: options.signal,
  });
  return answer.ok ? answer.value.onTopic : undefined;
}

/** A labelled candidate: does it still ask for the goal? */
export interface OnTopicExample {
  goal: string;
  candidate: string;
  onTopic: boolean;
}

/** How an evaluator did on labelled candidates: on-topic ones kept, off-topic ones pruned, and undecided ones (kept by TAP). */
export interface OnTopicMeasurement {
  onTopic: number;
  kept: number;
  offTopic: number;
  pruned: number;
  undecided: number;
}

/**
 * Measure an evaluator on labelled candidates (e.g. src/attacks/strategies/fixtures/on-topic.jsonl): TAP needs it to
 * keep every on-topic candidate (an undecided check keeps one too) and prune the off-topic ones.
 *
 * @example
 * const result = await measureOnTopicChecker(evaluator, readOnTopicExamples(file));
 * result.kept / result.onTopic // share of on-topic candidates kept
 */
export async function measureOnTopicChecker(model: ChatModel, examples: OnTopicExample[], options: { tries?: number } = {}): Promise<OnTopicMeasurement> {
  const measurement: OnTopicMeasurement = { onTopic: 0, kept: 0, offTopic: 0, pruned: 0, undecided: 0 };
  for (const example of examples) {
    const decision = await checkOnTopic(model, example.goal, example.candidate, { tries: options.tries ?? 2 });
    if (decision === undefined) measurement.undecided += 1;
    if (example.onTopic) {
      measurement.onTopic += 1;
      if (decision !== false) measurement.kept += 1;
    } else {
      measurement.offTopic += 1;
      if (decision === false) measurement.pruned += 1;
    }
  }
  return measurement;
}

/**
 * Read labelled candidates from JSONL (`{"goal", "candidate", "onTopic"}` per line); a bad line is a DatasetError.
 *
 * @example
 * readOnTopicExamples('src/attacks/strategies/fixtures/on-topic.jsonl').length // 33
 */
export function readOnTopicExamples(file: string): OnTopicExample[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .flatMap((line, index) => {
      if (line.trim() === '') return [];
      let row: Partial<OnTopicExample>;
      try {
        row = JSON.parse(line) as Partial<OnTopicExample>;
      } catch (error) {
        throw new DatasetError(`not JSON: ${(error as Error).message}`, file, index + 1);
      }
      if (typeof row.goal !== 'string' || typeof row.candidate !== 'string' || typeof row.onTopic !== 'boolean') {
        throw new DatasetError("each line needs 'goal' and 'candidate' (strings) and 'onTopic' (boolean)", file, index + 1);
      }
      return [{ goal: row.goal, candidate: row.candidate, onTopic: row.onTopic }];
    });
}
