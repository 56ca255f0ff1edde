import { defineSuite } from '../../spec/suite.js';
import { SuiteBuilder, hasValues, readCsvRows } from './dataset-rows.js';

/**
 * SimpleSafetyTests CSV (id, harm_area, counter, category, prompts_final). The harm area maps to a hazard;
 * the prompt type (information seeking or instructions) becomes a `type:` tag.
 *
 * @example
 * await simplesafetytestsLoader.load('SimpleSafetyTests - test cases.csv', {})
 */
export const simplesafetytestsLoader = defineSuite({
  id: 'simplesafetytests',
  description: 'SimpleSafetyTests: 100 clear-cut harmful prompts in 5 harm areas.',
  reference: 'https://github.com/bertiev/SimpleSafetyTests (Vidgen et al. 2023, arXiv:2311.08370)',
  needsFile: true,
  async load(argument, options) {
    const file = argument!;
    const builder = new SuiteBuilder('simplesafetytests', options);
    const { rows } = readCsvRows(file, ['id', 'harm_area', 'prompts_final'], builder);
    for (const row of rows) {
      if (!hasValues(row, ['id', 'prompts_final', 'harm_area'], file, builder)) continue;
      const type = row.values.category?.trim();
      builder.add(file, row.line, {
        id: `simplesafetytests.${row.values.id!.trim()}`,
        text: row.values.prompts_final!.trim(),
        ...builder.categorize('simplesafetytests', row.values.harm_area),
        source: 'simplesafetytests',
        tags: type ? [`type:${type}`] : [],
      });
    }
    return builder.result();
  },
});
