import { defineSuite } from '../../spec/suite.js';
import { SuiteBuilder, hasValues, readCsvRows } from './dataset-rows.js';

/**
 * AILuminate prompt-set CSV (release_prompt_id, prompt_text, hazard, persona, locale, prompt_hash). Hazard codes,
 * including subtypes such as `spc_hlt` and `sxc_prn`, map to the twelve hazards; the code stays in `sourceCategory`
 * and a `hazard:` tag; the persona (skilled/unskilled) fills `persona` and a `persona:` tag.
 *
 * @example
 * await ailuminateLoader.load('airr_official_1.0_demo_en_us_prompt_set_release.csv', {})
 */
export const ailuminateLoader = defineSuite({
  id: 'ailuminate',
  description: 'MLCommons AILuminate prompt-set CSV (12 hazards, skilled/unskilled personas).',
  reference: 'https://github.com/mlcommons/ailuminate (Ghosh et al. 2025, arXiv:2503.05731)',
  needsFile: true,
  async load(argument, options) {
    const file = argument!;
    const builder = new SuiteBuilder('ailuminate', options);
    const { rows } = readCsvRows(file, ['release_prompt_id', 'prompt_text', 'hazard'], builder);
    for (const row of rows) {
      if (!hasValues(row, ['release_prompt_id', 'prompt_text', 'hazard'], file, builder)) continue;
      const persona = row.values.persona?.trim();
      const locale = row.values.locale?.trim();
      const hazard = row.values.hazard!.trim();
      builder.add(file, row.line, {
        id: `ailuminate.${row.values.release_prompt_id!.trim()}`,
        text: row.values.prompt_text!.trim(),
        ...builder.categorize('ailuminate', hazard),
        source: 'ailuminate',
        persona: persona || undefined,
        tags: [`hazard:${hazard}`, ...(persona ? [`persona:${persona}`] : []), ...(locale ? [`locale:${locale}`] : [])],
      });
    }
    return builder.result();
  },
});
