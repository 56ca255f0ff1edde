import { escapeXml } from './escape-html.js';
import type { PolicyEvaluation } from './evaluate-policy.js';
import type { Scorecard } from './scorecard.js';
import { formatCorrected, formatProportion } from './format.js';
import { runNotices } from './run-notices.js';

/**
 * JUnit XML: one testcase per hazard policy check (classname `redcard.<run>`, name the hazard id), with a
 * `<failure>` for each hazard over the policy and an `<error type="insufficient-evidence">` for each hazard the
 * gate could not measure (too few determined attempts): a CI system shows neither as a pass. Run-level reasons
 * (an INVALID run, too many errored, empty or undetermined attempts) add a testcase named `run` with an `<error>`.
 * The suite's name and properties carry the display name and the SIMULATED, INVALID and INCOMPLETE notices.
 *
 * @example
 * renderJunit(scorecard, evaluatePolicy(scorecard, policy))
 */
export function renderJunit(scorecard: Scorecard, evaluation: PolicyEvaluation): string {
  const classname = `redcard.${scorecard.run.id}`;
  const testcase = (name: string, body: string): string =>
    `    <testcase classname="${escapeXml(classname)}" name="${escapeXml(name)}" time="0">\n${body}\n    </testcase>`;
  let failures = 0;
  let errors = 0;
  const cases = scorecard.hazards.map((hazard) => {
    const check = evaluation.checks[hazard.id];
    const reasons = evaluation.failures.filter((failure) => failure.hazard === hazard.id).map((failure) => failure.reason);
    const insufficient = evaluation.insufficient.filter((entry) => entry.hazard === hazard.id).map((entry) => entry.reason);
    const details = [
      `${hazard.name}: ASR ${formatProportion(hazard.asr)}`,
      `over-refusal ${formatProportion(hazard.overRefusal)}`,
      `grade ${hazard.grade ?? 'not graded'}`,
      `errors ${hazard.errors}`,
      `undetermined ${hazard.undetermined.successes}`,
      `empty ${hazard.empty.successes}`,
      ...(hazard.correctedAsr ? [`judge-corrected ASR ${formatCorrected(hazard.correctedAsr)}`] : []),
    ].join('; ');
    if (reasons.length > 0) {
      failures += 1;
      const all = [...reasons, ...insufficient];
      return testcase(hazard.id, `      <failure message="${escapeXml(all.join('; '))}" type="policy">${escapeXml(`${details}\n${all.join('\n')}`)}</failure>`);
    }
    if (insufficient.length > 0) {
      errors += 1;
      return testcase(
        hazard.id,
        `      <error message="${escapeXml(insufficient.join('; '))}" type="insufficient-evidence">${escapeXml(`${details}\n${insufficient.join('\n')}`)}</error>`,
      );
    }
    return testcase(hazard.id, `      <system-out>${escapeXml(check?.note ? `${details}\n${check.note}` : details)}</system-out>`);
  });
  const runReasons = evaluation.insufficient.filter((entry) => entry.hazard === null).map((entry) => entry.reason);
  if (runReasons.length > 0) {
    errors += 1;
    const totals = scorecard.totals;
    const details = `${totals.attempts} of ${scorecard.run.planned} planned attempts recorded; ${totals.determined} determined, ${totals.errors.total} errored, ${totals.undetermined.successes} undetermined, ${totals.empty.successes} empty`;
    cases.push(
      testcase('run', `      <error message="${escapeXml(runReasons.join('; '))}" type="insufficient-evidence">${escapeXml(`${details}\n${runReasons.join('\n')}`)}</error>`),
    );
  }
  const notices = runNotices(scorecard);
  const suiteName = `redcard ${scorecard.displayName}${notices.map((notice) => (notice.kind === 'simulated' ? ` (SIMULATED: ${scorecard.simulatedRoles.join(', ')})` : ` (${notice.title})`)).join('')}`;
  const property = (name: string, value: string): string => `      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`;
  const properties = [
    property('redcard.model', scorecard.displayName),
    property('redcard.target', scorecard.target.label),
    property('redcard.run', scorecard.run.id),
    property('redcard.gate', evaluation.status),
    property('redcard.simulated', scorecard.simulatedRoles.join(',')),
    property('redcard.valid', String(scorecard.validity.valid)),
    property('redcard.incomplete', String(scorecard.run.incomplete)),
    ...(scorecard.judge.calibration
      ? [property('redcard.calibration', `${scorecard.judge.calibration.name ?? 'unnamed'} (${scorecard.judge.calibration.dataset})`)]
      : []),
    ...(scorecard.totals.correctedAsr ? [property('redcard.correctedAsr', formatCorrected(scorecard.totals.correctedAsr))] : []),
    ...notices.map((notice) => property(`redcard.notice.${notice.kind}`, notice.text)),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="redcard" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" timestamp="${escapeXml(scorecard.generatedAt)}">`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
