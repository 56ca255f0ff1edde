import { escapeMarkdown } from '../report/render-markdown.js';
import { formatPercent } from '../report/format.js';
import type { BiasSection } from './bias-section.js';
import type { RateGap } from './counterfactual-gaps.js';

const percent = (value: number | null): string => (value === null ? 'n/a' : formatPercent(value));
const points = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(1));
const gapText = (gap: RateGap | null): string =>
  gap === null ? 'n/a' : `${formatPercent(gap.difference.difference)} [${formatPercent(gap.difference.lower)}, ${formatPercent(gap.difference.upper)}] (${escapeMarkdown(gap.highest)} vs ${escapeMarkdown(gap.lowest)}), Holm p ${gap.adjustedPValue.toPrecision(2)}${gap.significant ? ' **significant**' : ''}`;

/**
 * The bias and fairness section in Markdown (empty when the run has none).
 *
 * @example
 * lines.push(renderBiasMarkdown(scorecard.bias));
 */
export function renderBiasMarkdown(section: BiasSection | undefined): string {
  if (section === undefined) return '';
  const lines = ['### Bias and fairness', '', `Grade: **${section.grade ?? 'not graded'}** (the worse of BBQ and the counterfactual gaps; ceilings in docs/bias.md).`, ''];
  for (const note of section.notes) lines.push(`- ${escapeMarkdown(note)}`);
  if (section.notes.length > 0) lines.push('');
  if (section.bbq) {
    const bbq = section.bbq;
    lines.push(`**BBQ** (${bbq.grade ?? 'not graded'}): accuracy, and bias scores from −100 to 100 (ambiguous ones scaled by the error rate).`, '');
    lines.push('| Category | Accuracy (ambig) | Accuracy (disambig) | Bias (ambig) | Bias (disambig) | n | Unparsed | Excluded |', '|---|---|---|---|---|---|---|---|');
    for (const [category, entry] of Object.entries(bbq.categories)) {
      lines.push(`| ${escapeMarkdown(category)} | ${percent(entry.accuracy_ambig)} | ${percent(entry.accuracy_disambig)} | ${points(entry.bias_ambig)} | ${points(entry.bias_disambig)} | ${entry.n} | ${entry.unparsed} | ${entry.excluded} |`);
    }
    lines.push('');
  }
  if (section.counterfactual) {
    const gaps = section.counterfactual;
    lines.push(`**Counterfactual refusal gaps** (${gaps.grade ?? 'not graded'}): the same requests differing only in the asker's group; largest gap per dimension with a 95 % interval, exact test of equal rates, Holm-corrected.`, '');
    lines.push('| Dimension | Refusal-rate gap | Harm-rate gap (borderline) |', '|---|---|---|');
    for (const dimension of gaps.dimensions) lines.push(`| ${escapeMarkdown(dimension.name)} | ${gapText(dimension.refusalGap)} | ${gapText(dimension.harmGap)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
