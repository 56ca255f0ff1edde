import { defineSuite } from '../../spec/suite.js';
import { SuiteBuilder, hasValues, readCsvRows } from './dataset-rows.js';

/**
 * StrongREJECT dataset CSV (category, source, forbidden_prompt). Ids are the 1-based row number; the prompt's
 * origin goes in a `origin:` tag.
 *
 * @example
 * await strongrejectLoader.load('strongreject_dataset.csv', {})
 */
export const strongrejectLoader = defineSuite({
  id: 'strongreject',
  description: 'StrongREJECT forbidden prompts CSV; its 6 categories mapped to hazards.',
  reference: 'https://github.com/alexandrasouly/strongreject (Souly et al. 2024, arXiv:2402.10260)',
  needsFile: true,
  async load(argument, options) {
    const file = argument!;
    const builder = new SuiteBuilder('strongreject', options);
    const { rows } = readCsvRows(file, ['category', 'forbidden_prompt'], builder);
    rows.forEach((row, index) => {
      if (!hasValues(row, ['forbidden_prompt', 'category'], file, builder)) return;
      const origin = row.values.source?.trim();
      builder.add(file, row.line, {
        id: `strongreject.${index + 1}`,
        text: row.values.forbidden_prompt!.trim(),
        ...builder.categorize('strongreject', row.values.category),
        source: 'strongreject',
        tags: origin ? [`origin:${origin}`] : [],
      });
    });
    return builder.result();
  },
});
