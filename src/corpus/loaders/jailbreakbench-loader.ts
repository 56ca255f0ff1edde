import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineSuite } from '../../spec/suite.js';
import { SuiteBuilder, hasValues, readCsvRows } from './dataset-rows.js';

/** The files of a JBB spec: one CSV, two CSVs joined by a comma, or a directory holding both standard files. */
function jailbreakbenchFiles(argument: string): string[] {
  if (existsSync(argument) && statSync(argument).isDirectory()) {
    return ['harmful-behaviors.csv', 'benign-behaviors.csv'].map((name) => join(argument, name)).filter((path) => existsSync(path));
  }
  return argument.split(',').map((path) => path.trim()).filter((path) => path.length > 0);
}

function sameTopic(left: string | undefined, right: string | undefined): boolean {
  const normalize = (text: string | undefined): string => (text ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  return normalize(left) === normalize(right);
}

/**
 * JBB-Behaviors CSVs (Index, Goal, Target, Behavior, Category, Source). A file whose name contains `benign` holds
 * benign behaviors. Given both files (`jailbreakbench:harmful.csv,benign.csv` or a directory), rows with the same
 * Index and Behavior topic are linked as twins: JBB's benign set is topic-matched row by row.
 *
 * @example
 * await jailbreakbenchLoader.load('data/jbb', {})
 */
export const jailbreakbenchLoader = defineSuite({
  id: 'jailbreakbench',
  description: 'JailbreakBench JBB-Behaviors: 100 harmful behaviors and 100 topic-matched benign twins.',
  reference: 'https://github.com/JailbreakBench/jailbreakbench (Chao et al. 2024, arXiv:2404.01318)',
  needsFile: true,
  async load(argument, options) {
    const builder = new SuiteBuilder('jailbreakbench', options);
    const topics = new Map<string, string | undefined>();
    for (const file of jailbreakbenchFiles(argument!)) {
      const benign = basename(file).toLowerCase().includes('benign');
      const kind = benign ? 'benign' : 'harmful';
      const { rows } = readCsvRows(file, ['Index', 'Goal', 'Category'], builder);
      for (const row of rows) {
        if (!hasValues(row, ['Index', 'Goal', 'Category'], file, builder)) continue;
        const id = `jailbreakbench.${kind}.${row.values.Index!.trim()}`;
        const behavior = row.values.Behavior?.trim();
        const origin = row.values.Source?.trim();
        const added = builder.add(file, row.line, {
          id,
          text: row.values.Goal!.trim(),
          ...builder.categorize('jailbreakbench', row.values.Category),
          source: 'jailbreakbench',
          benign,
          tags: [...(behavior ? [`behavior:${behavior}`] : []), ...(origin ? [`origin:${origin}`] : [])],
        });
        if (added) topics.set(id, behavior);
      }
    }
    for (const [id, topic] of topics) {
      if (!id.startsWith('jailbreakbench.harmful.')) continue;
      const twinId = id.replace('.harmful.', '.benign.');
      if (topics.has(twinId) && sameTopic(topic, topics.get(twinId))) builder.linkTwins(id, twinId);
    }
    return builder.result();
  },
});
