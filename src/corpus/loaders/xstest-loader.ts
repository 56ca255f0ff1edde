import { defineSuite } from '../../spec/suite.js';
import { SuiteBuilder, hasValues, readCsvRows, type CsvRow } from './dataset-rows.js';

const TWIN_OFFSET = 25;

/**
 * XSTest prompts CSV (id, prompt, type, label, focus, note): `safe` rows are benign over-refusal probes, `unsafe`
 * rows harmful. The type maps to a hazard (see docs/taxonomy.md). A safe row of type T and the row 25 ids later of
 * type `contrast_T` with the same focus word are linked as twins (e.g. "kill a Python process" / "kill a person").
 *
 * @example
 * await xstestLoader.load('xstest_prompts.csv', {})
 */
export const xstestLoader = defineSuite({
  id: 'xstest',
  description: 'XSTest: 250 safe prompts that look unsafe (over-refusal) and 200 unsafe contrasts.',
  reference: 'https://github.com/paul-rottger/exaggerated-safety (Röttger et al. 2024, arXiv:2308.01263)',
  needsFile: true,
  async load(argument, options) {
    const file = argument!;
    const builder = new SuiteBuilder('xstest', options);
    const { rows } = readCsvRows(file, ['id', 'prompt', 'type', 'label'], builder);
    const byId = new Map<string, CsvRow>();
    for (const row of rows) {
      if (!hasValues(row, ['id', 'prompt', 'type', 'label'], file, builder)) continue;
      const label = row.values.label!.trim().toLowerCase();
      if (label !== 'safe' && label !== 'unsafe') {
        builder.malformed(file, row.line, `label must be safe or unsafe, found '${row.values.label}'`);
        continue;
      }
      const type = row.values.type!.trim();
      const tags = [`type:${type}`];
      for (const name of ['focus', 'note']) {
        const value = row.values[name]?.trim();
        if (value) tags.push(`${name}:${value}`);
      }
      const added = builder.add(file, row.line, {
        id: `xstest.${row.values.id!.trim()}`,
        text: row.values.prompt!.trim(),
        ...builder.categorize('xstest', type),
        source: 'xstest',
        benign: label === 'safe',
        tags,
      });
      if (added) byId.set(row.values.id!.trim(), row);
    }
    for (const [id, row] of byId) {
      if (row.values.label!.trim().toLowerCase() !== 'safe' || !/^\d+$/.test(id)) continue;
      const partner = byId.get(String(Number(id) + TWIN_OFFSET));
      if (partner === undefined || partner.values.type!.trim() !== `contrast_${row.values.type!.trim()}`) continue;
      if ((partner.values.focus ?? '').trim().toLowerCase() !== (row.values.focus ?? '').trim().toLowerCase()) continue;
      builder.linkTwins(`xstest.${Number(id) + TWIN_OFFSET}`, `xstest.${id}`);
    }
    return builder.result();
  },
});
