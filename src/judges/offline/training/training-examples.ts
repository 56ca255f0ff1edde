import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../../spec/errors.js';
import type { JudgedAttempt, JudgedResponse } from '../../../spec/judge.js';
import { loadHarmbenchVal } from '../../eval/load-harmbench-val.js';
import { parseCsv } from '../../../util/csv.js';
import { seededRandom } from '../../../targets/sim/seeded-random.js';

/** Three-way refusal label as XSTest's annotators give it. */
export type RefusalLabel = 'refusal' | 'partial' | 'compliance';

/** One labelled response the offline judge can learn from or be tested on. */
export interface TrainingExample {
  /** Dataset: `xstest`, `harmbench`, `jailbreakbench`, `gpteacher`. */
  source: string;
  /** Finer unit for leave-one-out splits: `xstest/gpt4`, `jailbreakbench/PAIR`, … */
  subset: string;
  /** Responses to the same request share a group (cross-validation folds never split a group). */
  group: string;
  /** Model that wrote the response. */
  model: string;
  attempt: JudgedAttempt;
  response: JudgedResponse;
  /** Refusal label, when known. */
  refusal?: RefusalLabel;
  /** Harm label (harmful behaviors only), when known. */
  harmful?: boolean;
  /** True when the label comes from people; false for labels from a judge model or assumed from the data's kind. */
  human: boolean;
}

/** Where the public datasets are: the folders named in ../shared/data/SOURCES.md. */
export interface TrainingDataPaths {
  root: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DatasetError(`not readable JSON: ${(error as Error).message}`, file);
  }
}

function attemptOf(id: string, text: string, benign: boolean, sent: string, category: string, source: string, attack = 'direct'): JudgedAttempt {
  return { behavior: { id, text, category, source, benign, tags: [] }, messages: [{ role: 'user', content: sent }], attacks: [attack] };
}

const respond = (text: string): JudgedResponse => ({ text, rawText: text });

/**
 * XSTest completions (paul-rottger/exaggerated-safety): `final_label` 1_full_compliance, 2_full_refusal,
 * 3_partial_refusal, by two annotators. Prompts whose type starts with `contrast_` are unsafe (harmful behaviors);
 * for those a full refusal is also a harm label (not harmful); other answers to them get no harm label (XSTest
 * labels refusal, not harm).
 *
 * @example
 * loadXstestExamples('…/xstest_v2_completions_gpt4.csv', 'gpt4').length // 450
 */
export function loadXstestExamples(file: string, model: string): TrainingExample[] {
  const records = parseCsv(readFileSync(file, 'utf8'), file);
  const header = records[0]?.fields ?? [];
  const at = (name: string): number => header.indexOf(name);
  for (const name of ['prompt', 'completion', 'final_label', 'type']) if (at(name) < 0) throw new DatasetError(`missing column ${name}`, file, 1);
  const labels: Record<string, RefusalLabel> = { '1': 'compliance', '2': 'refusal', '3': 'partial' };
  return records.slice(1).map((record) => {
    const field = (name: string): string => record.fields[at(name)] ?? '';
    const label = labels[field('final_label').trim().charAt(0)];
    if (!label) throw new DatasetError(`unknown final_label '${field('final_label')}'`, file, record.line);
    const type = field('type');
    const benign = !type.startsWith('contrast');
    const id = field('id') || `row-${record.line}`;
    return {
      source: 'xstest',
      subset: `xstest/${model}`,
      group: `xstest:${field('prompt')}`,
      model,
      attempt: attemptOf(id, field('prompt'), benign, field('prompt'), type, 'xstest'),
      response: respond(field('completion')),
      refusal: label,
      harmful: !benign && label === 'refusal' ? false : undefined,
      human: true,
    };
  });
}

/**
 * HarmBench's classifier validation set: harm is the majority of three human labels.
 *
 * @example
 * loadHarmbenchExamples('…/text_behaviors_val_set.json').length // 602
 */
export function loadHarmbenchExamples(file: string): TrainingExample[] {
  return loadHarmbenchVal(file).items.map((item) => ({
    source: 'harmbench',
    subset: 'harmbench',
    group: `harmbench:${item.attempt.behavior.id}`,
    model: item.groups.model ?? 'unknown',
    attempt: item.attempt,
    response: item.response,
    harmful: item.truth,
    human: true,
  }));
}

interface JailbreakRecord {
  index?: unknown;
  goal?: unknown;
  category?: unknown;
  prompt?: unknown;
  response?: unknown;
  jailbroken?: unknown;
}

/**
 * JailbreakBench attack artifacts (`attack-artifacts/METHOD/TYPE/MODEL.json`): prompt, response and `jailbroken`,
 * decided by JailbreakBench's judge model, not by people (weak labels). Records without a response are skipped.
 *
 * @example
 * loadJailbreakbenchExamples('…/jailbreakbench-artifacts/attack-artifacts').length // 1637
 */
export function loadJailbreakbenchExamples(directory: string): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const method of readdirSync(directory).sort()) {
    const methodDirectory = join(directory, method);
    if (!existsSync(methodDirectory) || method.endsWith('.json')) continue;
    for (const kind of readdirSync(methodDirectory).sort()) {
      const kindDirectory = join(methodDirectory, kind);
      if (kind.endsWith('.json')) continue;
      for (const name of readdirSync(kindDirectory).filter((file) => file.endsWith('.json')).sort()) {
        const file = join(kindDirectory, name);
        const parsed = readJson(file) as { jailbreaks?: JailbreakRecord[] };
        if (!Array.isArray(parsed.jailbreaks)) throw new DatasetError("expected a 'jailbreaks' list", file);
        const model = name.replace(/\.json$/, '');
        for (const record of parsed.jailbreaks) {
          if (typeof record.response !== 'string' || record.response.trim() === '' || typeof record.goal !== 'string') continue;
          const prompt = typeof record.prompt === 'string' && record.prompt ? record.prompt : record.goal;
          const jailbroken = record.jailbroken === true || record.jailbroken === 'True' || record.jailbroken === 'true';
          examples.push({
            source: 'jailbreakbench',
            subset: `jailbreakbench/${method}`,
            group: `jailbreakbench:${record.goal}`,
            model,
            attempt: attemptOf(`jbb-${String(record.index)}`, record.goal, false, prompt, String(record.category ?? 'unknown'), 'jailbreakbench', method),
            response: respond(record.response),
            harmful: jailbroken,
            human: false,
          });
        }
      }
    }
  }
  return examples;
}

/**
 * GPTeacher instruction data (teknium1/GPTeacher): GPT-4's answers to benign instructions, taken as compliance
 * (they were written as answers; the few that open with an apology or "I cannot" go on to answer, which the
 * training script reports). `input`, when present, is appended to the instruction as the request.
 *
 * @example
 * loadGpteacherExamples('…/gpteacher/codegen-instruct.json', 'code').length // 4535
 */
export function loadGpteacherExamples(file: string, subset: string): TrainingExample[] {
  const parsed = readJson(file);
  if (!Array.isArray(parsed)) throw new DatasetError('expected a list of {instruction, input, response}', file);
  return parsed.flatMap((row: { instruction?: unknown; input?: unknown; response?: unknown }, index): TrainingExample[] => {
    if (typeof row.instruction !== 'string' || typeof row.response !== 'string' || row.response.trim() === '') return [];
    const request = typeof row.input === 'string' && row.input.trim() ? `${row.instruction}\n${row.input}` : row.instruction;
    return [{
      source: 'gpteacher',
      subset: `gpteacher/${subset}`,
      group: `gpteacher:${subset}:${index}`,
      model: 'gpt-4',
      attempt: attemptOf(`gpteacher-${subset}-${index}`, request, true, request, 'benign', 'gpteacher'),
      response: respond(row.response),
      refusal: 'compliance',
      human: false,
    }];
  });
}

/** Everything the training script reads, by dataset. */
export interface TrainingCorpus {
  xstest: TrainingExample[];
  harmbench: TrainingExample[];
  jailbreakbench: TrainingExample[];
  gpteacher: TrainingExample[];
}

/**
 * Read every training source under a data root laid out as ../shared/data (SOURCES.md).
 *
 * @example
 * const corpus = loadTrainingCorpus('../shared/data');
 */
export function loadTrainingCorpus(root: string): TrainingCorpus {
  const path = (...parts: string[]): string => {
    const file = join(root, ...parts);
    if (!existsSync(file)) throw new DatasetError('training data not found (expected the layout of ../shared/data, see its SOURCES.md)', file);
    return file;
  };
  return {
    xstest: [
      ...loadXstestExamples(path('xstest', 'model_completions', 'xstest_v2_completions_gpt4.csv'), 'gpt4'),
      ...loadXstestExamples(path('xstest', 'model_completions', 'xstest_v2_completions_llama2new.csv'), 'llama2'),
    ],
    harmbench: loadHarmbenchExamples(path('harmbench', 'data', 'classifier_val_sets', 'text_behaviors_val_set.json')),
    jailbreakbench: loadJailbreakbenchExamples(path('jailbreakbench-artifacts', 'attack-artifacts')),
    gpteacher: [
      ...loadGpteacherExamples(path('gpteacher', 'roleplay-simple-deduped-roleplay-instruct.json'), 'roleplay'),
      ...loadGpteacherExamples(path('gpteacher', 'codegen-instruct.json'), 'code'),
    ],
  };
}

/**
 * At most `cap` examples, picked by a seeded shuffle (the same seed picks the same ones), in their original order.
 *
 * @example
 * sampleExamples(corpus.gpteacher, 2000, 7).length // 2000
 */
export function sampleExamples(examples: TrainingExample[], cap: number, seed: number): TrainingExample[] {
  if (examples.length <= cap) return examples;
  const random = seededRandom(seed);
  const order = examples.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other], order[index]];
  }
  const kept = new Set(order.slice(0, cap));
  return examples.filter((_, index) => kept.has(index));
}
