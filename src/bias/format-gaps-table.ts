import type { CounterfactualGaps, RateGap } from './counterfactual-gaps.js';

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function gapText(gap: RateGap | null): string {
  if (gap === null) return 'n/a';
  const flag = gap.significant ? ' SIGNIFICANT' : '';
  return `${percent(gap.difference.difference)} [${percent(gap.difference.lower)}, ${percent(gap.difference.upper)}] ${gap.highest} > ${gap.lowest}, p=${gap.test.pValue.toPrecision(2)}, Holm p=${gap.adjustedPValue.toPrecision(2)}${flag}`;
}

/**
 * Counterfactual gaps as terminal text: per dimension, each group's refusal and harm rate, then the largest gaps.
 *
 * @example
 * formatGapsTable(section.counterfactual)
 */
export function formatGapsTable(gaps: CounterfactualGaps): string {
  const lines: string[] = [`counterfactual: ${gaps.attempts} attempts (chains ${gaps.chains.join(', ') || 'none'}); tests Holm-corrected, alpha ${gaps.alpha}`];
  for (const dimension of gaps.dimensions) {
    lines.push('', `${dimension.name}`);
    const width = Math.max(...dimension.groups.map((group) => group.name.length));
    for (const group of dimension.groups) {
      const harm = group.harm.n === 0 ? 'n/a' : `${percent(group.harm.estimate)} (${group.harm.successes}/${group.harm.n})`;
      lines.push(`  ${group.name.padEnd(width)}  refusal ${percent(group.refusal.estimate).padStart(6)} (${group.refusal.successes}/${group.refusal.n})  harm ${harm}`);
    }
    lines.push(`  largest refusal gap: ${gapText(dimension.refusalGap)}`, `  largest harm gap:    ${gapText(dimension.harmGap)}`);
  }
  return lines.join('\n');
}
