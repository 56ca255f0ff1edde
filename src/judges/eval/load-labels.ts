import { existsSync } from 'node:fs';
import { ConfigError } from '../../spec/errors.js';
import { LABEL_FORMATS, type LabelFormat, type LabelledSet } from './labelled-set.js';
import { loadHarmbenchVal } from './load-harmbench-val.js';
import { loadJsonlLabels } from './load-jsonl-labels.js';
import { loadXstest } from './load-xstest.js';

/**
 * Load a human-labelled file in one of `LABEL_FORMATS`.
 *
 * @example
 * loadLabels('text_behaviors_val_set.json', 'harmbench-val')
 */
export function loadLabels(file: string, format: string): LabelledSet {
  if (!(LABEL_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError(`unknown format '${format}'; known: ${LABEL_FORMATS.join(', ')}`, { field: 'format' });
  }
  if (!existsSync(file)) throw new ConfigError(`no such file '${file}'`, { field: 'labels' });
  switch (format as LabelFormat) {
    case 'harmbench-val':
      return loadHarmbenchVal(file);
    case 'xstest':
      return loadXstest(file);
    case 'jsonl':
      return loadJsonlLabels(file);
  }
}
