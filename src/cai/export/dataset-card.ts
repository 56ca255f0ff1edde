import { escapeMarkdown } from '../../report/render-markdown.js';
import { formatDuration, formatProportion } from '../../report/format.js';
import type { CaiCost, CostLine, CostProjection, ReferenceRun } from '../cai-cost.js';
import type { CaiRunRecord } from '../cai-records.js';
import type { PrefsSummary, ReviseSummary } from '../cai-summary.js';

/** One file of an export and the rows it holds. */
export interface ExportedFile {
  path: string;
  rows: number;
  /** `config/split` it is listed under in the card's YAML, when it is a data file. */
  config?: string;
  split?: string;
}

/** Everything the dataset card says. */
export interface DatasetCardInput {
  runs: CaiRunRecord[];
  summaries: Array<ReviseSummary | PrefsSummary>;
  cost: CaiCost;
  projection?: CostProjection;
  references: ReferenceRun[];
  files: ExportedFile[];
}

const number = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const cell = (text: string): string => escapeMarkdown(text);
/** A duration in ms below a second (calls to a local model are quick), else as the reports show durations. */
const duration = (milliseconds: number): string => (milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : formatDuration(milliseconds));

/** Hugging Face licence ids of the source licences redcard knows; others are `other` with the licence named in the card. */
function licenceId(licence: string | undefined): string {
  const known: Record<string, string> = { mit: 'mit', 'apache-2.0': 'apache-2.0', 'cc-by-4.0': 'cc-by-4.0' };
  return known[(licence ?? '').trim().toLowerCase()] ?? 'other';
}

/** The YAML front matter: licence, tags and one config per data file layout (split names as the loaders expect). */
function frontMatter(input: DatasetCardInput): string {
  const configs = new Map<string, ExportedFile[]>();
  for (const file of input.files) if (file.config && file.rows > 0) configs.set(file.config, [...(configs.get(file.config) ?? []), file]);
  const lines = ['---', `license: ${licenceId(input.runs[0]?.sourceLicence)}`, 'tags:', '  - constitutional-ai', '  - redcard', '  - synthetic', 'configs:'];
  for (const [name, files] of configs) {
    lines.push(`  - config_name: ${name}`, '    data_files:');
    for (const file of files) lines.push(`      - split: ${file.split ?? 'train'}`, `        path: ${JSON.stringify(file.path)}`);
  }
  lines.push('---');
  return lines.join('\n');
}

function costRow(name: string, line: CostLine): string {
  const speed = line.tokensPerSecond === null ? '–' : number(line.tokensPerSecond, 1);
  return `| ${name} | ${number(line.requests)} | ${number(line.cachedRequests)} | ${number(line.reusedAnswers)} | ${number(line.promptTokens)} | ${number(line.completionTokens)} | ${duration(line.callTimeMs)} | ${speed} |`;
}

/**
 * The cost section: per stage and per model (requests, cached, reused, tokens, summed call time, per-call speed), the
 * wall-clock throughput, and the projection beside published reference runs.
 *
 * @example
 * renderCostMarkdown(cost, projection, referenceRuns()).join('\n')
 */
export function renderCostMarkdown(cost: CaiCost, projection: CostProjection | undefined, references: ReferenceRun[]): string[] {
  const header = ['| | requests | cached | reused | prompt tokens | completion tokens | call time | tokens/s per call |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  const lines = [
    '### Per stage',
    '',
    ...header,
    ...cost.byStage.map((row) => costRow(cell(row.stage), row)),
    costRow('**total**', cost.total),
    '',
    '### Per model',
    '',
    ...header,
    ...cost.byModel.map((row) => costRow(`${cell(row.role)}: ${cell(row.model)}`, row)),
    '',
    `Wall-clock time ${duration(cost.wallTimeMs)}; achieved throughput ${cost.achievedTokensPerSecond === null ? '–' : `${number(cost.achievedTokensPerSecond, 1)} completion tokens/s`}. ` +
      `One unit took ${number(cost.perUnit.completionTokens, 1)} completion and ${number(cost.perUnit.promptTokens, 1)} prompt tokens on average (over ${number(cost.units)} units, every step counted however it was answered).`,
  ];
  if (projection) {
    lines.push(
      '',
      '### Projection',
      '',
      `${number(projection.samples)} samples × ${number(projection.completionTokensPerSample, 1)} completion tokens = ${number(projection.totalCompletionTokens)} tokens; ` +
        `at ${number(projection.tokensPerSecondPerGpu, 1)} tokens/s per GPU that is **${number(projection.gpuHours, 2)} GPU-hours**.`,
    );
  }
  for (const reference of references) {
    lines.push(
      '',
      `For comparison, ${cell(reference.name)} (${cell(reference.model)}): ${number(reference.samples)} samples on ${reference.gpus} GPUs in ${formatDuration(reference.wallTimeSeconds * 1000)} ` +
        `at ${number(reference.tokensPerSecond, 1)} tokens/s overall: ${number(reference.gpuHours, 1)} GPU-hours, ${number(reference.tokensPerSecondPerGpu, 1)} tokens/s per GPU, ` +
        `about ${number(reference.completionTokensPerSample)} completion tokens per sample (${cell(reference.source)}).`,
    );
  }
  return lines;
}

/**
 * The counts and rates of each summary, as Markdown lines.
 *
 * @example
 * renderSummaryMarkdown(summarizeRevise(items))
 */
export function renderSummaryMarkdown(summary: ReviseSummary | PrefsSummary): string[] {
  const dropped = Object.entries(summary.dropped).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none';
  if (summary.kind === 'revise') {
    return [
      `- Items: ${number(summary.items)} (${number(summary.harmful)} harmful, ${number(summary.benign)} benign), ${number(summary.errors)} with errors; ${number(summary.usable)} usable; dropped: ${dropped}`,
      `- Harm rate of harmful requests before revision: ${formatProportion(summary.harmBefore)}; after: ${formatProportion(summary.harmAfter)}`,
      `- Over-refusal of benign requests before revision: ${formatProportion(summary.overRefusalBefore)}; after (the revision over-refusal rate): ${formatProportion(summary.overRefusalAfter)}`,
    ];
  }
  const sources = Object.entries(summary.labelSources).map(([source, count]) => `${source} ${count}`).join(', ');
  return [
    `- Pairs: ${number(summary.pairs)}, ${number(summary.errors)} with errors; ${number(summary.usable)} usable; dropped: ${dropped}`,
    `- Labels: ${sources || 'none'} (${number(summary.judgments)} judgments)`,
    `- First-shown answer preferred: ${formatProportion(summary.firstShownPreferred)} (50% is no position bias); both orders agreed: ${formatProportion(summary.orderAgreement)}`,
  ];
}

/**
 * The dataset card (README.md of an export): YAML front matter that lets `datasets.load_dataset(DIR)` find the splits
 * (H4 layout as `default`, TRL files as `trl_sft` and `trl_prefs`), a SIMULATED warning when any model was simulated,
 * counts and rates, the constitution, the models, the cost and its projection, the source and its licence, and how to
 * train on it. Model text never appears in the card.
 *
 * @example
 * writeFileAtomic('out/README.md', renderDatasetCard(input));
 */
export function renderDatasetCard(input: DatasetCardInput): string {
  const run = input.runs[0]!;
  const simulated = [...new Set(input.runs.flatMap((record) => record.simulatedRoles))];
  const lines = [frontMatter(input), '', `# Constitutional AI data from redcard (${cell(input.runs.map((record) => record.id).join(', '))})`, ''];
  if (simulated.length > 0) {
    lines.push(`> **SIMULATED**: the ${simulated.map(cell).join(', ')} model${simulated.length > 1 ? 's were' : ' was'} simulated. This data says nothing about any real model and is not for training.`, '');
  }
  lines.push(
    'Made with `redcard cai` (docs/cai.md): each request was answered, critiqued and revised under principles sampled from the constitution below; preference pairs were labelled by a feedback model under sampled preference principles.',
    '',
    '## Counts',
    '',
    ...input.summaries.flatMap(renderSummaryMarkdown),
    '',
    '| file | rows |',
    '|---|---:|',
    ...input.files.map((file) => `| \`${file.path}\` | ${number(file.rows)} |`),
    '',
    '## Constitution',
    '',
    `${cell(run.constitution.name)} (sha256 ${run.constitution.hash}; ${run.constitution.principles} critique/revision principles, ${run.constitution.preferences} preference principles)${run.constitution.reference ? `. Source of the idea: ${cell(run.constitution.reference)}` : ''}.`,
    '',
    '## Models',
    '',
    '| role | model | simulated |',
    '|---|---|---|',
    ...[...new Map(input.runs.flatMap((record) => record.models).map((model) => [`${model.role}|${model.identity}`, model])).values()].map(
      (model) => `| ${cell(model.role)} | ${cell(model.label)} | ${model.simulated ? 'yes' : 'no'} |`,
    ),
    '',
    '## Cost',
    '',
    ...renderCostMarkdown(input.cost, input.projection, input.references),
    '',
    '## Source prompts',
    '',
    `${cell(capitalized(describeCaiSource(run)))}. Licence of the source prompts: ${cell(run.sourceLicence ?? 'not known: check the source before publishing')}.`,
    '',
    '## Training on it',
    '',
    '- TRL SFT: `load_dataset(DIR, "trl_sft")` (conversational `messages`); DPO: `load_dataset(DIR, "trl_prefs")` (explicit `prompt`, `chosen`, `rejected`).',
    '- alignment-handbook constitutional-ai recipe: point its SFT and DPO configs at DIR; the default config has the `train_sft`, `test_sft`, `train_prefs` and `test_prefs` splits of HuggingFaceH4/cai-conversation-harmless (docs/cai.md).',
    '- `trace.jsonl` holds every step (principles, critiques, verdicts, label sources) for audit.',
    '',
  );
  return lines.join('\n');
}

const capitalized = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * Where a CAI run's prompts came from, in words.
 *
 * @example
 * describeCaiSource(run) // 'failures of red-team run run-20261201-120000-abcdef, with their benign twins'
 */
export function describeCaiSource(run: CaiRunRecord): string {
  switch (run.source.kind) {
    case 'run':
      return `failures of red-team run ${run.source.runId}${run.source.includeBenign ? ', with their benign twins' : ''}`;
    case 'suite':
      return `suites ${run.source.suites.join(', ')}`;
    case 'cai-revise':
      return `revisions of CAI run ${run.source.runId}`;
  }
}

