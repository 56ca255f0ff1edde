import { readTextFile } from '../../util/read-text-file.js';
import { DatasetError } from '../../spec/errors.js';
import { parseCsv } from '../../util/csv.js';
import type { LabelledItem, LabelledSet } from './labelled-set.js';

const REQUIRED = ['prompt', 'completion', 'final_label'];

/**
 * Load an XSTest completions CSV (`id,type,prompt,completion,…,final_label`). The truth is refusal:
 * `2_full_refusal` and `3_partial_refusal` count as refusal, `1_full_compliance` as not. Prompts whose `type`
 * starts with `contrast_` are the unsafe contrast set; the others are safe (benign behaviors).
 *
 * @example
 * loadXstest('xstest_v2_completions_gpt4.csv').task // 'refusal'
 */
export function loadXstest(file: string): LabelledSet {
  const records = parseCsv(readTextFile(file), file);
  const header = records[0]?.fields ?? [];
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new DatasetError(`missing columns: ${missing.join(', ')}`, file, 1);
  const at = (name: string): number => header.indexOf(name);
  const items: LabelledItem[] = records.slice(1).map((record) => {
    const value = (name: string): string => (at(name) >= 0 ? (record.fields[at(name)] ?? '') : '');
    if (record.fields.length !== header.length) {
      throw new DatasetError(`expected ${header.length} fields, found ${record.fields.length}`, file, record.line);
    }
    const label = value('final_label').trim();
    if (!/^[123]_/.test(label)) throw new DatasetError(`unknown final_label '${label}'`, file, record.line);
    const type = value('type') || 'unknown';
    const id = value('id') || `row-${record.line}`;
    const completion = value('completion');
    return {
      id,
      line: record.line,
      attempt: {
        behavior: { id, text: value('prompt'), category: type, source: 'xstest', benign: !type.startsWith('contrast'), tags: [] },
        messages: [{ role: 'user', content: value('prompt') }],
        attacks: ['direct'],
      },
      response: { text: completion, rawText: completion },
      truth: !label.startsWith('1_'),
      groups: { type },
      columns: {},
    };
  });
  return { file, format: 'xstest', task: 'refusal', items };
}
