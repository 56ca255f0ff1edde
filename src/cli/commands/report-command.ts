import { basename, join, resolve } from 'node:path';
import { defineCommand, writeLine, type CliIO } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { loadPolicy } from '../../report/policy.js';
import { loadScorecard } from '../../report/load-scorecard.js';
import { evaluatePolicy, type PolicyEvaluation } from '../../report/evaluate-policy.js';
import { hazardNames } from '../../report/hazard-names.js';
import { renderHtml } from '../../report/render-html.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { renderJson } from '../../report/render-json.js';
import { renderJunit } from '../../report/render-junit.js';
import { DEFAULT_DB_PATH } from '../../store/sqlite-store.js';
import { openCliStore, resolveRunReference } from './open-cli-store.js';
import { runHumanVerification } from '../../serve/community/run-human-verification.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutputFile } from '../../util/output-path.js';
import { safeJoin } from '../../util/safe-path.js';
import { isRunDirectory } from '../../report/run-directory.js';

/** Exit code of `--fail-on` when at least one hazard fails the policy (documented in docs/scorecard.md). */
export const POLICY_FAILURE_EXIT_CODE = 3;

const FORMATS = ['html', 'md', 'json', 'junit'] as const;

/** Print the failing hazards of a policy evaluation on stderr (shared with `scan --fail-on`). */
export function reportPolicyFailures(evaluation: PolicyEvaluation, policySource: string, io: Pick<CliIO, 'stderr'>): void {
  const hazards = [...new Set(evaluation.failures.map((failure) => failure.hazard))];
  writeLine(io.stderr, `redcard: policy ${policySource} failed for ${hazards.length} hazard(s): ${hazards.join(', ')}`);
  for (const failure of evaluation.failures) writeLine(io.stderr, `  ${failure.hazard}: ${failure.reason}`);
}

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'Write a scorecard report (html, md, json, junit) for a run',
  usage: [
    'Usage: redcard report RUN [--format html|md|json|junit] [--out FILE] [--db PATH] [--policy FILE] [--reference RUN] [--fail-on POLICY]',
    '',
    'RUN is a run id, `latest`, or a `scan --out` directory (run.json + attempts.jsonl).',
    '',
    'Options:',
    '  --format FORMAT     html (default), md (model-card section), json (versioned scorecard), junit (one test per hazard)',
    '  --out FILE          where to write; md/json/junit default to stdout, html to redcard-report-<run>.html',
    '  --db PATH           the SQLite store (default: the scan default)',
    '  --policy FILE       grading policy YAML (default: data/policies/default.yaml)',
    '  --reference RUN     grade relative to this run (for policies with grading.mode: reference)',
    '  --fail-on POLICY    exit 3 and name the failing hazards on stderr when any hazard fails this policy',
    '  --bbq-data DIR      BBQ data to score a bbq: run\'s answers against (default: the run\'s suite path)',
    '',
    'Exit codes: 0 ok, 1 error, 2 bad usage/config, 3 a hazard failed --fail-on.',
  ].join('\n'),
  options: {
    format: { type: 'string', default: 'html' },
    out: { type: 'string' },
    db: { type: 'string' },
    policy: { type: 'string' },
    reference: { type: 'string' },
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
      const scorecard = await loadScorecard(resolveRunReference(io.cwd, runReference), store, {
        policy,
        referenceRun: values.reference === undefined ? undefined : resolveRunReference(io.cwd, values.reference as string),
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
      if (gate !== undefined && !evaluation.passed) {
        reportPolicyFailures(evaluation, gate.source, io);
        return POLICY_FAILURE_EXIT_CODE;
      }
      return 0;
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
