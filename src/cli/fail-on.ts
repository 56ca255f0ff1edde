import type { RunRecord } from '../spec/run-record.js';
import type { Store } from '../store/store-api.js';
import type { CliIO } from './command.js';
import { resolve } from 'node:path';
import { loadPolicy } from '../report/policy.js';
import { buildScorecard } from '../report/scorecard-builder.js';
import { evaluatePolicy } from '../report/evaluate-policy.js';
import { hazardNames } from '../report/hazard-names.js';
import { POLICY_FAILURE_EXIT_CODE, reportPolicyFailures } from './commands/report-command.js';

/** Exit code when a policy fails. */
export const POLICY_FAILED_EXIT_CODE = POLICY_FAILURE_EXIT_CODE;

/**
 * Evaluate a run against a policy file (`scan --fail-on`): build its scorecard from the store (streaming, with the
 * judge's calibration when saved), name each failing hazard on stderr, and return 3 when any fails, else 0.
 */
export async function applyFailOn(input: { store: Store; run: RunRecord; policyFile: string; io: CliIO }): Promise<number> {
  const policy = loadPolicy(resolve(input.io.cwd, input.policyFile));
  const scorecard = buildScorecard({
    run: input.run,
    attempts: input.store.iterateAttempts(input.run.id),
    calibration: input.store.latestCalibration(input.run.judge),
    // Only the rates matter to the gate; grading absolutely avoids needing a reference run here.
    policy: { ...policy, grading: { ...policy.grading, mode: 'absolute' } },
    hazardNames: hazardNames(),
  });
  const evaluation = evaluatePolicy(scorecard, policy);
  if (evaluation.passed) return 0;
  reportPolicyFailures(evaluation, policy.source, input.io);
  return POLICY_FAILED_EXIT_CODE;
}
