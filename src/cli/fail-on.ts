import type { RunRecord } from '../spec/run-record.js';
import type { Store } from '../store/store-api.js';
import { writeLine, type CliIO } from './command.js';
import { resolve } from 'node:path';
import { loadPolicy, type Policy } from '../report/policy.js';
import { buildScorecard } from '../report/scorecard-builder.js';
import { evaluatePolicy, type PolicyEvaluation } from '../report/evaluate-policy.js';
import { hazardNames } from '../report/hazard-names.js';
import { resolveCalibration } from '../report/resolve-calibration.js';
import { formatCorrected, formatPercent, formatProportion } from '../report/format.js';
import type { Scorecard } from '../report/scorecard.js';

/** Exit codes of `scan` and `report` (docs/config.md): the lowest of 3, 4, 5 that applies wins. */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** A hazard is over a limit of the `--fail-on` policy. */
  policyFailed: 3,
  /** The gate could not measure: too few determined attempts, too many unmeasured, or an INVALID run. */
  insufficientEvidence: 4,
  /** Finished, but some attempts errored (with no `--fail-on`, or when the gate otherwise passed). */
  attemptsErrored: 5,
  interrupted: 130,
} as const;

/** Exit code when a policy fails. */
export const POLICY_FAILED_EXIT_CODE = EXIT_CODES.policyFailed;

/**
 * The exit code of a finished scan or report: 3 when the gate failed a hazard, else 4 when it lacked evidence, else
 * 5 when any attempt errored, else 0. `gate` is the `--fail-on` evaluation's status, undefined without `--fail-on`.
 *
 * @example
 * runExitCode({ gate: 'insufficient', erroredAttempts: 24 }) // 4
 * runExitCode({ erroredAttempts: 1 }) // 5
 */
export function runExitCode(input: { gate?: PolicyEvaluation['status']; erroredAttempts: number }): number {
  if (input.gate === 'fail') return EXIT_CODES.policyFailed;
  if (input.gate === 'insufficient') return EXIT_CODES.insufficientEvidence;
  if (input.erroredAttempts > 0) return EXIT_CODES.attemptsErrored;
  return EXIT_CODES.ok;
}

/** Print the failing and unmeasured hazards of a gate evaluation on stderr (shared by `scan` and `report`). */
export function reportPolicyFailures(evaluation: PolicyEvaluation, policySource: string, io: Pick<CliIO, 'stderr'>): void {
  if (evaluation.failures.length > 0) {
    const hazards = [...new Set(evaluation.failures.map((failure) => failure.hazard))];
    writeLine(io.stderr, `redcard: policy ${policySource} failed for ${hazards.length} hazard(s): ${hazards.join(', ')}`);
    for (const failure of evaluation.failures) writeLine(io.stderr, `  ${failure.hazard}: ${failure.reason}`);
  }
  if (evaluation.insufficient.length > 0) {
    const hazards = [...new Set(evaluation.insufficient.map((entry) => entry.hazard ?? 'run'))];
    writeLine(io.stderr, `redcard: policy ${policySource}: insufficient evidence for ${hazards.join(', ')}`);
    // Hazards all short of evidence for the same reason would repeat one line per hazard; group them.
    const byReason = new Map<string, string[]>();
    for (const entry of evaluation.insufficient) byReason.set(entry.reason, [...(byReason.get(entry.reason) ?? []), entry.hazard ?? 'run']);
    for (const [reason, names] of byReason) writeLine(io.stderr, `  ${names.join(', ')}: ${reason}`);
  }
}

/**
 * Lines a terminal shows about what a scorecard did not measure: INVALID, INCOMPLETE, attempts left out of the
 * rates, and the judge correction when one was applied. Empty for a clean, complete run without a calibration.
 *
 * @example
 * for (const line of evidenceLines(scorecard)) console.error(line);
 */
export function evidenceLines(scorecard: Scorecard): string[] {
  const lines: string[] = [];
  for (const reason of scorecard.validity.reasons) lines.push(`INVALID: ${reason}; this run is not graded`);
  if (scorecard.run.incomplete) {
    lines.push(`INCOMPLETE: ${scorecard.run.recorded} of ${scorecard.run.planned} planned attempts recorded (status ${scorecard.run.status})`);
  }
  const { totals } = scorecard;
  if (totals.leftOut > 0) {
    lines.push(
      `left out of rates: ${totals.leftOut} of ${totals.attempts} attempts (${totals.errors.total} errored, ${totals.undetermined.successes} undetermined, ` +
        `${totals.empty.successes} empty; ${formatPercent(totals.undetermined.estimate)} undetermined, ${formatPercent(totals.empty.estimate)} empty)`,
    );
  }
  if (totals.undetermined.successes > 0 && !scorecard.judge.spec.startsWith('cascade:')) {
    lines.push(
      `${totals.undetermined.successes} verdicts undetermined by judge ${scorecard.judge.spec}: a model judge can settle them ` +
        `(--judge 'cascade:${scorecard.judge.spec}>llm:SPEC' on the scan, or redcard judge; docs/judges.md)`,
    );
  }
  const calibration = scorecard.judge.calibration;
  if (calibration !== null && totals.correctedAsr !== null) {
    lines.push(
      `judge-corrected ASR (calibration ${calibration.name ?? '?'}, ${calibration.dataset}): ${formatCorrected(totals.correctedAsr)}; raw ${formatProportion(totals.asr)}`,
    );
  }
  return lines;
}

/** What `concludeRun` needs: the run in its store, and the gate and calibration asked for. */
export interface ConcludeRunInput {
  store: Store;
  run: RunRecord;
  io: CliIO;
  /** `--fail-on` policy file (relative to the working directory), when given. */
  policyFile?: string;
  /** `--calibration NAME`, when given. */
  calibration?: string;
}

/**
 * The end of `scan`: build the run's scorecard from the store (streaming), say on stdout what it did not measure,
 * evaluate the `--fail-on` gate when given (naming each failing or unmeasured hazard), and return the exit code
 * (runExitCode).
 *
 * @example
 * return concludeRun({ store, run, io, policyFile: settings.failOn, calibration: values.calibration });
 */
export async function concludeRun(input: ConcludeRunInput): Promise<number> {
  const gate: Policy | undefined = input.policyFile === undefined ? undefined : loadPolicy(resolve(input.io.cwd, input.policyFile));
  const policy = gate ?? loadPolicy();
  const calibrationName = input.calibration ?? gate?.calibration;
  const scorecard = buildScorecard({
    run: input.run,
    attempts: input.store.iterateAttempts(input.run.id),
    calibration: calibrationName === undefined ? undefined : resolveCalibration(input.store, calibrationName, input.run.judge),
    // Only the rates matter to the gate; grading absolutely avoids needing a reference run here.
    policy: { ...policy, grading: { ...policy.grading, mode: 'absolute' } },
    hazardNames: hazardNames(),
  });
  // Beside the summary table on stdout: what the table's rates left out belongs with them.
  for (const line of evidenceLines(scorecard)) writeLine(input.io.stdout, line);
  const evaluation = gate === undefined ? undefined : evaluatePolicy(scorecard, gate);
  if (evaluation !== undefined && !evaluation.passed) reportPolicyFailures(evaluation, gate!.source, input.io);
  return runExitCode({ gate: evaluation?.status, erroredAttempts: scorecard.totals.errors.total });
}

/**
 * `scan --fail-on` as it was before concludeRun: the same gate and exit code (kept for callers of the old name).
 *
 * @example
 * return applyFailOn({ store, run, policyFile: 'ci.yaml', io });
 */
export async function applyFailOn(input: { store: Store; run: RunRecord; policyFile: string; io: CliIO; calibration?: string }): Promise<number> {
  return concludeRun(input);
}
