import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineCommand, writeLine } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { loadPolicy } from '../../report/policy.js';
import { loadScorecard } from '../../report/load-scorecard.js';
import { hazardNames } from '../../report/hazard-names.js';
import { renderHtml } from '../../report/render-html.js';
import { renderLeaderboard, type LeaderboardEntry } from '../../report/render-leaderboard.js';
import { renderLeaderboardJson, renderLeaderboardMarkdown } from '../../report/leaderboard-table.js';
import { loadLmEvalResults, modelNamesMatch, type HelpfulnessScores } from '../../report/lm-eval-results.js';
import { openCliStore, resolveRunReference } from './open-cli-store.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutputDirectory } from '../../util/output-path.js';
import { safeJoin } from '../../util/safe-path.js';

export const leaderboardCommand = defineCommand({
  name: 'leaderboard',
  summary: 'Build a static leaderboard site across runs',
  usage: [
    'Usage: redcard leaderboard RUN... --out DIR [--helpfulness FILE | MODEL=FILE]... [--policy FILE] [--db PATH]',
    '',
    'Writes DIR/index.html (self-contained, sortable), DIR/index.md, DIR/leaderboard.json and DIR/runs/<run>.html',
    '(each run\'s full report). Runs over bias suites (--suite bbq:DIR, counterfactual) get a bias and fairness column;',
    '--bbq-data DIR scores BBQ answers against that data when the run\'s own path does not resolve here.',
    'Helpfulness scores come from lm-evaluation-harness results JSON files; a file is matched to the run whose target',
    'label or display name (--name) names its model (`model_name` or `pretrained=` in `config.model_args`), or explicitly',
    'with MODEL=FILE where MODEL is a run id, target label or display name. INVALID runs are listed last, never ranked.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    helpfulness: { type: 'string', multiple: true },
    policy: { type: 'string' },
    db: { type: 'string' },
    title: { type: 'string' },
    'bbq-data': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new ConfigError('leaderboard needs at least one RUN');
    if (values.out === undefined) throw new ConfigError('leaderboard needs --out DIR', { field: '--out' });
    const policy = loadPolicy(values.policy === undefined ? undefined : resolve(io.cwd, values.policy as string));
    const explicit: Array<{ model: string; scores: HelpfulnessScores }> = [];
    const byName: HelpfulnessScores[] = [];
    for (const spec of (values.helpfulness as string[] | undefined) ?? []) {
      const separator = spec.indexOf('=');
      const isExplicit = separator > 0 && !spec.slice(0, separator).includes('/');
      const file = resolve(io.cwd, isExplicit ? spec.slice(separator + 1) : spec);
      const scores = loadLmEvalResults(file);
      if (isExplicit) explicit.push({ model: spec.slice(0, separator), scores });
      else byName.push(scores);
    }
    const outDirectory = resolve(io.cwd, values.out as string);
    checkOutputDirectory(outDirectory, { flag: '--out' });
    const references = positionals.map((reference) => resolveRunReference(io.cwd, reference));
    const store = openCliStore(values.db as string | undefined, io, references);
    mkdirSync(join(outDirectory, 'runs'), { recursive: true });
    try {
      const names = hazardNames();
      const entries: LeaderboardEntry[] = [];
      const usedNames = new Set<string>();
      for (const reference of references) {
        const scorecard = await loadScorecard(reference, store, { policy, hazardNames: names, bias: { cwd: io.cwd, bbqData: values['bbq-data'] as string | undefined } });
        // Run ids are checked where they are read; the join still refuses any name that would leave runs/.
        // Two runs with one id (copies of a run directory) get two files, so each entry links to its own report.
        const stem = scorecard.run.id.replace(/[^\w.-]/g, '_');
        let fileName = `${stem}.html`;
        for (let copy = 2; usedNames.has(fileName); copy += 1) fileName = `${stem}-${copy}.html`;
        usedNames.add(fileName);
        writeFileAtomic(safeJoin(join(outDirectory, 'runs'), fileName), renderHtml(scorecard));
        const helpfulness =
          explicit.find((entry) => [scorecard.run.id, scorecard.target.label, scorecard.displayName].includes(entry.model))?.scores ??
          byName.find((scores) => modelNamesMatch(scores.model, scorecard.target.label) || modelNamesMatch(scores.model, scorecard.displayName));
        entries.push({ scorecard, helpfulness, reportHref: `runs/${encodeURIComponent(fileName)}` });
      }
      const unmatched = [...explicit.map((entry) => entry.scores), ...byName].filter((scores) => !entries.some((entry) => entry.helpfulness === scores));
      for (const scores of unmatched) writeLine(io.stderr, `redcard leaderboard: no run matches model '${scores.model}' from ${scores.source}; use --helpfulness MODEL=FILE`);
      const generatedAt = new Date().toISOString();
      writeFileAtomic(join(outDirectory, 'index.html'), renderLeaderboard(entries, { title: values.title as string | undefined, generatedAt }));
      writeFileAtomic(join(outDirectory, 'index.md'), renderLeaderboardMarkdown(entries, { title: values.title as string | undefined }));
      writeFileAtomic(join(outDirectory, 'leaderboard.json'), renderLeaderboardJson(entries, { generatedAt }));
      writeLine(io.stderr, `redcard: wrote leaderboard of ${entries.length} runs to ${join(outDirectory, 'index.html')}`);
      return 0;
    } finally {
      store?.close();
    }
  },
});
