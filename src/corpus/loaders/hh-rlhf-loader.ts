import { DatasetError } from '../../spec/errors.js';
import { defineSuite } from '../../spec/suite.js';
import { SuiteBuilder, readDatasetText } from './dataset-rows.js';

const HUMAN = '\n\nHuman:';
const ASSISTANT = '\n\nAssistant:';

/**
 * The first human turn of an hh-rlhf dialogue (`\n\nHuman: … \n\nAssistant: …`): the text after the first `Human:`
 * up to the next turn, trimmed; undefined when the dialogue has no human turn. The whole turn is kept, paragraphs
 * included (Hugging Face's CAI script kept only its first paragraph).
 *
 * @example
 * firstHumanTurn('\n\nHuman: what are some pranks with a pen i can do?\n\nAssistant: Are you looking for…') // 'what are some pranks with a pen i can do?'
 */
export function firstHumanTurn(dialogue: string): string | undefined {
  const start = dialogue.indexOf(HUMAN);
  if (start === -1) return undefined;
  const from = start + HUMAN.length;
  const ends = [dialogue.indexOf(ASSISTANT, from), dialogue.indexOf(HUMAN, from)].filter((index) => index !== -1);
  const text = dialogue.slice(from, ends.length > 0 ? Math.min(...ends) : undefined).trim();
  return text === '' ? undefined : text;
}

/**
 * Anthropic's hh-rlhf preference data (`harmless-base/train.jsonl.gz`, `test.jsonl.gz`, gzipped or not): one JSON
 * object per line with `chosen` and `rejected` dialogues. Each line gives one behavior whose request is the first human
 * turn (the red-team prompt); the answers in the file are not used. Ids are the 1-based line (`hh-rlhf.1`); there are
 * no categories (all `uncategorized`), and every prompt counts as harmful (the harmless split is red-teaming data).
 *
 * @example
 * await hhRlhfLoader.load('harmless-base/test.jsonl.gz', {}) // 2,312 behaviors
 */
export const hhRlhfLoader = defineSuite({
  id: 'hh-rlhf',
  description: "Anthropic hh-rlhf dialogues (JSONL, gzip or not): the first human turn of each 'chosen' dialogue; uncategorized.",
  reference: 'https://github.com/anthropics/hh-rlhf (Bai et al. 2022, arXiv:2204.05862); licence MIT',
  needsFile: true,
  async load(argument, options) {
    const file = argument!;
    const builder = new SuiteBuilder('hh-rlhf', options);
    readDatasetText(file).split('\n').forEach((raw, index) => {
      const text = raw.trim();
      if (text === '') return;
      const line = index + 1;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        builder.malformed(file, line, `invalid JSON: ${(error as Error).message}`);
        return;
      }
      const chosen = typeof record === 'object' && record !== null ? (record as { chosen?: unknown }).chosen : undefined;
      if (typeof chosen !== 'string') {
        builder.malformed(file, line, "expected an object with a 'chosen' dialogue (a string)");
        return;
      }
      const prompt = firstHumanTurn(chosen);
      if (prompt === undefined) {
        builder.malformed(file, line, "the 'chosen' dialogue has no 'Human:' turn");
        return;
      }
      builder.add(file, line, { id: `hh-rlhf.${line}`, text: prompt, ...builder.categorize(undefined, undefined), source: 'hh-rlhf', benign: false });
    });
    if (builder.behaviors.length === 0 && builder.skipped.length === 0) throw new DatasetError('no records', file);
    return builder.result();
  },
});
