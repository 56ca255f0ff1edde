import { defineSuite } from '../../spec/suite.js';
import { DatasetError } from '../../spec/errors.js';
import { SuiteBuilder, hasValues, readCsvRows, splitTags } from './dataset-rows.js';

/**
 * HarmBench text behaviors CSV (Behavior, FunctionalCategory, SemanticCategory, Tags, ContextString, BehaviorID).
 * ContextString becomes the behavior's context; the functional category and Tags become tags.
 *
 * @example
 * await harmbenchLoader.load('harmbench_behaviors_text_all.csv', {})
 */
export const harmbenchLoader = defineSuite({
  id: 'harmbench',
  description: 'HarmBench text behaviors CSV (standard, contextual, copyright); semantic categories mapped to hazards.',
  reference: 'https://github.com/centerforaisafety/HarmBench (Mazeika et al. 2024, arXiv:2402.04249)',
  needsFile: true,
  async load(argument, options) {
    const file = argument!;
    const builder = new SuiteBuilder('harmbench', options);
    const { header, rows } = readCsvRows(file, ['Behavior', 'FunctionalCategory', 'SemanticCategory', 'BehaviorID'], builder);
    if (header.includes('ImageFileName')) {
      throw new DatasetError('multimodal HarmBench behaviors need their images and are not supported; use a text behaviors file', file, 1);
    }
    for (const row of rows) {
      if (!hasValues(row, ['Behavior', 'BehaviorID', 'SemanticCategory'], file, builder)) continue;
      const functional = row.values.FunctionalCategory?.trim();
      const context = row.values.ContextString?.trim();
      builder.add(file, row.line, {
        id: `harmbench.${row.values.BehaviorID!.trim()}`,
        text: row.values.Behavior!.trim(),
        ...builder.categorize('harmbench', row.values.SemanticCategory),
        source: 'harmbench',
        context: context ? context : undefined,
        tags: [...(functional ? [`functional:${functional}`] : []), ...splitTags(row.values.Tags)],
      });
    }
    return builder.result();
  },
});
