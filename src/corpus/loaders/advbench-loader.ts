import { defineSuite } from '../../spec/suite.js';
import { SuiteBuilder, hasValues, readCsvRows } from './dataset-rows.js';

/**
 * AdvBench harmful_behaviors.csv (goal, target). It has no categories: every behavior is `uncategorized`
 * and reported as unmapped. Ids are the 1-based row number (`advbench.1`); the target string is not used.
 *
 * @example
 * await advbenchLoader.load('harmful_behaviors.csv', {})
 */
export const advbenchLoader = defineSuite({
  id: 'advbench',
  description: 'AdvBench harmful behaviors CSV (goal, target); uncategorized.',
  reference: 'https://github.com/llm-attacks/llm-attacks (Zou et al. 2023, arXiv:2307.15043)',
  needsFile: true,
  async load(argument, options) {
    const file = argument!;
    const builder = new SuiteBuilder('advbench', options);
    const { rows } = readCsvRows(file, ['goal'], builder);
    rows.forEach((row, index) => {
      if (!hasValues(row, ['goal'], file, builder)) return;
      builder.add(file, row.line, {
        id: `advbench.${index + 1}`,
        text: row.values.goal!.trim(),
        ...builder.categorize(undefined, undefined),
        source: 'advbench',
      });
    });
    return builder.result();
  },
});
