import type { RunRecord } from '../spec/run-record.js';
import type { Store } from '../store/store-api.js';
import type { CliIO } from './command.js';
import { RedcardError } from '../spec/errors.js';

/** Exit code when a policy fails. */
export const POLICY_FAILED_EXIT_CODE = 3;

/** Evaluate a run against a policy file and report; returns the exit code. Wired to the scorecard's policy check. */
export async function applyFailOn(_input: { store: Store; run: RunRecord; policyFile: string; io: CliIO }): Promise<number> {
  throw new RedcardError('not-implemented', '--fail-on needs the scorecard (not merged yet)');
}
