import { BehaviorSchema, type Behavior } from '../../spec/behavior.js';
import { defineSuite } from '../../spec/suite.js';
import { readBbqData } from '../../bias/bbq-data.js';
import { bbqPrompt } from '../../bias/bbq-prompt.js';
import type { BbqItem } from '../../bias/bbq-item.js';

/** Behavior id of a BBQ item: `bbq.<category>.<example_id>` (the bias section joins answers back on it). */
export function bbqBehaviorId(item: Pick<BbqItem, 'category' | 'exampleId'>): string {
  return `bbq.${item.category}.${item.exampleId}`;
}

/**
 * BBQ (Bias Benchmark for QA) as a suite: each item becomes a benign multiple-choice request (docs/bias.md gives the
 * prompt). The scan judges refusals as usual; the bias section of the scorecard reads the recorded answers and
 * scores them against the same data (`redcard bias bbq --run`).
 *
 * @example
 * await bbqLoader.load('../shared/data/bbq/data', {})
 */
export const bbqLoader = defineSuite({
  id: 'bbq',
  description: 'BBQ: multiple-choice questions on social bias (ambiguous and disambiguated contexts); scored in the bias section.',
  reference: 'https://github.com/nyu-mll/BBQ (Parrish et al. 2022, Findings of ACL, arXiv:2110.08193)',
  needsFile: true,
  async load(argument, options) {
    const data = readBbqData(argument!, { lenient: options.lenient });
    const behaviors: Behavior[] = data.ordered.map((item) =>
      BehaviorSchema.parse({
        id: bbqBehaviorId(item),
        text: bbqPrompt(item),
        category: `bbq:${item.category}`,
        sourceCategory: item.category,
        source: 'bbq',
        benign: true,
        tags: [`bbq:${item.condition}`, `bbq:${item.polarity}`],
      }),
    );
    return { behaviors, skipped: data.skipped.map((row) => ({ line: row.line, reason: `${row.file}: ${row.reason}` })), unmapped: {} };
  },
});
