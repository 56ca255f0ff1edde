import { defineCommand, writeLine } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { loadPolicy } from '../../report/policy.js';
import { loadScorecard } from '../../report/load-scorecard.js';
import { hazardNames } from '../../report/hazard-names.js';
import { compareScorecards } from '../../report/compare-scorecards.js';
import { renderComparisonTable } from '../../report/render-comparison.js';
import { openCliStore, resolveRunReference } from './open-cli-store.js';
import { POLICY_FAILURE_EXIT_CODE } from './report-command.js';

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'Compare two runs: differences with intervals, regressions flagged',
  usage: [
    'Usage: redcard compare RUN_A RUN_B [--json] [--db PATH] [--fail-on-regression]',
    '',
    'Per hazard and per hazard × vector: ASR and over-refusal of A and B, the difference B − A with a 95 % Newcombe',
    'interval, its two-sided p-value (the test that matches the interval) and the p-value adjusted by Benjamini–Hochberg',
    'over every test of the comparison (false discovery rate 5 %). WORSE marks an adjusted p ≤ 0.05 with B worse; a raw',
    'interval that excludes 0 is not enough among hundreds of tests. RUN is a run id, `latest`, or a scan --out directory.',
    '',
    'Options:',
    '  --json                 print the comparison as JSON',
    '  --db PATH              the SQLite store',
    '  --fail-on-regression   exit 3 when any regression is significant after adjustment',
  ].join('\n'),
  options: {
    json: { type: 'boolean', default: false },
    db: { type: 'string' },
    'fail-on-regression': { type: 'boolean', default: false },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new ConfigError('compare takes two runs: RUN_A RUN_B');
    const [first, second] = positionals.map((reference) => resolveRunReference(io.cwd, reference));
    const store = openCliStore(values.db as string | undefined, io, [first, second]);
    try {
      const options = { policy: loadPolicy(), hazardNames: hazardNames() };
      const comparison = compareScorecards(await loadScorecard(first, store, options), await loadScorecard(second, store, options));
      io.stdout.write(values.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparisonTable(comparison));
      if (values['fail-on-regression'] && comparison.regressions.length > 0) {
        writeLine(io.stderr, `redcard compare: ${comparison.regressions.length} significant regression(s) (Benjamini–Hochberg, FDR 5 %): ${comparison.regressions.join(', ')}`);
        return POLICY_FAILURE_EXIT_CODE;
      }
      return 0;
    } finally {
      store?.close();
    }
  },
});
