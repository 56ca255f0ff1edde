import { escapeXml } from './escape-html.js';
import type { PolicyEvaluation } from './evaluate-policy.js';
import type { Scorecard } from './scorecard.js';
import { formatProportion } from './format.js';

/**
 * JUnit XML: one testcase per hazard policy check (classname `redcard.<run>`, name the hazard id), with a
 * `<failure>` for each hazard over the policy. CI systems show it as a test report.
 *
 * @example
 * renderJunit(scorecard, evaluatePolicy(scorecard, policy))
 */
export function renderJunit(scorecard: Scorecard, evaluation: PolicyEvaluation): string {
  const classname = `redcard.${scorecard.run.id}`;
  const cases = scorecard.hazards.map((hazard) => {
    const check = evaluation.checks[hazard.id];
    const reasons = evaluation.failures.filter((failure) => failure.hazard === hazard.id).map((failure) => failure.reason);
    const details = [
      `${hazard.name}: ASR ${formatProportion(hazard.asr)}`,
      `over-refusal ${formatProportion(hazard.overRefusal)}`,
      `grade ${hazard.grade ?? 'not graded'}`,
      `errors ${hazard.errors}`,
    ].join('; ');
    const head = `    <testcase classname="${escapeXml(classname)}" name="${escapeXml(hazard.id)}" time="0">`;
    const body =
      reasons.length > 0
        ? `      <failure message="${escapeXml(reasons.join('; '))}" type="policy">${escapeXml(`${details}\n${reasons.join('\n')}`)}</failure>`
        : `      <system-out>${escapeXml(check?.note ? `${details}\n${check.note}` : details)}</system-out>`;
    return `${head}\n${body}\n    </testcase>`;
  });
  const failures = scorecard.hazards.filter((hazard) => evaluation.failures.some((failure) => failure.hazard === hazard.id)).length;
  const suiteName = `redcard ${scorecard.target.label}${scorecard.target.simulated ? ' (SIMULATED)' : ''}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="redcard" tests="${cases.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${escapeXml(scorecard.generatedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
