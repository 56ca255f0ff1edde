import { basename, join, resolve } from 'node:path';
import { defineCommand, writeLine } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { loadPolicy } from '../../report/policy.js';
import { loadScorecard } from '../../report/load-scorecard.js';
import { evaluatePolicy } from '../../report/evaluate-policy.js';
import { hazardNames } from '../../report/hazard-names.js';
import { renderHtml } from '../../report/render-html.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { renderJson } from '../../report/render-json.js';
import { renderJunit } from '../../report/render-junit.js';
import { DEFAULT_DB_PATH } from '../../store/sqlite-store.js';
import { openCliStore, resolveRunReference } from './open-cli-store.js';
import { EXIT_CODES, evidenceLines, reportPolicyFailures, runExitCode } from '../fail-on.js';
import { runHumanVerification } from '../../serve/community/run-human-verification.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutputFile } from '../../util/output-path.js';
import { safeJoin } from '../../util/safe-path.js';
import { isRunDirectory } from '../../report/run-directory.js';

export { reportPolicyFailures };

/** Exit code of `--fail-on` when at least one hazard fails the policy (documented in docs/config.md). */
export const POLICY_FAILURE_EXIT_CODE = EXIT_CODES.policyFailed;

const FORMATS = ['html', 'md', 'json', 'junit'] as const;

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'Write a scorecard report (html, md, json, junit) for a run',
  usage: [
    'Usage: redcard report RUN [--format html|md|json|junit] [--out FILE] [--db PATH] [--policy FILE] [--reference RUN]',
    '                          [--calibration NAME] [--fail-on POLICY]',
    '',
    'RUN is a run id, `latest`, or a `scan --out` directory (run.json + attempts.jsonl).',
    '',
    'Options:',
    '  --format FORMAT     html (default), md (model-card section), json (versioned scorecard), junit (one test per hazard)',
    '  --out FILE          where to write; md/json/junit default to stdout, html to redcard-report-<run>.html',
    '  --db PATH           the SQLite store (default: the scan default)',
    '  --policy FILE       grading policy YAML (default: data/policies/default.yaml)',
    '  --reference RUN     grade relative to this run (for policies with grading.mode: reference)',
    '  --calibration NAME  correct rates for judge error with this saved calibration (judge-eval --save NAME);',
    '                      none is applied unless asked for here or by the policy (calibration: NAME)',
    '  --fail-on POLICY    gate on this policy (the report shows its checks): exit 3 when a hazard fails it, 4 when',
    '                      it cannot measure (too few determined attempts, too many errored/empty/undetermined,',
    '                      or an INVALID run)',
    '  --bbq-data DIR      BBQ data to score a bbq: run\'s answers against (default: the run\'s suite path)',
    '',
    'Exit codes: 0 ok; 1 error; 2 bad usage/config; 3 a hazard failed --fail-on; 4 insufficient evidence for',
    '--fail-on; 5 report written, but some attempts of the run errored. When several apply, the lowest wins.',
  ].join('\n'),
  options: {
    format: { type: 'string', default: 'html' },
    out: { type: 'string' },
    db: { type: 'string' },
    policy: { type: 'string' },
    reference: { type: 'string' },
    calibration: { type: 'string' },
    'fail-on': { type: 'string' },
    'bbq-data': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new ConfigError('report takes exactly one RUN (a run id, `latest`, or a scan --out directory)');
    const format = values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) throw new ConfigError(`unknown format '${format}' (use ${FORMATS.join(', ')})`, { field: '--format' });
    const policy = loadPolicy(values.policy === undefined ? undefined : resolve(io.cwd, values.policy as string));
    const gate = values['fail-on'] === undefined ? undefined : loadPolicy(resolve(io.cwd, values['fail-on'] as string));
    const runReference = positionals[0];
    const out = values.out as string | undefined;
    if (out !== undefined) checkOutputFile(resolve(io.cwd, out), { flag: '--out', inputs: reportInputs(io.cwd, [runReference, values.reference as string | undefined], values.db as string | undefined) });
    const store = openCliStore(values.db as string | undefined, io, [runReference, values.reference as string | undefined]);
    try {
      // With --fail-on the report shows that gate's checks (grading stays --policy's), so it says what the exit code says.
      const shown = gate === undefined ? policy : { ...gate, grading: policy.grading };
      const scorecard = await loadScorecard(resolveRunReference(io.cwd, runReference), store, {
        policy: shown,
        referenceRun: values.reference === undefined ? undefined : resolveRunReference(io.cwd, values.reference as string),
        calibration: (values.calibration as string | undefined) ?? gate?.calibration ?? policy.calibration,
        hazardNames: hazardNames(),
        bias: { cwd: io.cwd, bbqData: values['bbq-data'] as string | undefined },
      });
      // Human labels from `redcard serve` annotation tasks, when the store has any for this run (an additive section).
      if (store !== undefined) scorecard.humanVerification ??= runHumanVerification(store.path, store, scorecard.run.id, hazardNames());
      const evaluation = evaluatePolicy(scorecard, gate ?? policy);
      const text =
        format === 'html' ? renderHtml(scorecard) : format === 'md' ? renderMarkdown(scorecard) : format === 'json' ? renderJson(scorecard) : renderJunit(scorecard, evaluation);
      // The default name holds the run id, which comes from data (run.json, the store): it is joined safely.
      const target = out !== undefined ? resolve(io.cwd, out) : format === 'html' ? safeJoin(io.cwd, `redcard-report-${scorecard.run.id}.html`) : undefined;
      if (target === undefined) {
        io.stdout.write(text);
      } else {
        writeFileAtomic(target, text);
        writeLine(io.stderr, `redcard: wrote ${format} report to ${out ?? basename(target)}`);
      }
      for (const line of evidenceLines(scorecard)) writeLine(io.stderr, `redcard: ${line}`);
      if (gate !== undefined && !evaluation.passed) reportPolicyFailures(evaluation, gate.source, io);
      return runExitCode({ gate: gate === undefined ? undefined : evaluation.status, erroredAttempts: scorecard.totals.errors.total });
    } finally {
      store?.close();
    }
  },
});

/** Files a report reads, which its --out must not overwrite: the store and a run directory's files. */
function reportInputs(cwd: string, references: Array<string | undefined>, db: string | undefined): Array<{ flag: string; path: string }> {
  const inputs: Array<{ flag: string; path: string }> = [];
  for (const reference of references) {
    if (reference === undefined) continue;
    const path = resolve(cwd, reference);
    if (isRunDirectory(path)) inputs.push({ flag: 'RUN', path: join(path, 'run.json') }, { flag: 'RUN', path: join(path, 'attempts.jsonl') });
  }
  inputs.push({ flag: '--db', path: resolve(cwd, db ?? DEFAULT_DB_PATH) });
  return inputs;
}
