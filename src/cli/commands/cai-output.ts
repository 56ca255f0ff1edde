import { projectCaiCost, referenceRuns, type CaiCost, type CostProjection } from '../../cai/cai-cost.js';
import type { CaiNotice } from '../../cai/cai-library.js';
import type { CaiRunRecord } from '../../cai/cai-records.js';
import type { CaiEvent } from '../../cai/cai-run.js';
import { summarizePrefs, summarizeRevise } from '../../cai/cai-summary.js';
import type { ExportedFile } from '../../cai/export/dataset-card.js';
import { renderSummaryMarkdown } from '../../cai/export/dataset-card.js';
import { caiRunCost, caiUnits } from '../../cai/export/export-cai-run.js';
import type { CaiItem, CaiPair } from '../../cai/cai-records.js';
import type { Store } from '../../store/store-api.js';
import { stripTerminalControls } from '../../util/strip-terminal.js';
import { writeLine, type CliIO } from '../command.js';
import { ProgressRenderer } from '../progress-renderer.js';

/** Unit errors printed one by one; the rest are counted (a server that is down would print one line per unit). */
const SHOWN_UNIT_ERRORS = 5;

const number = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Renders a CAI run's events on stderr: what run it is (new or resumed), notices, a progress bar (plain lines when
 * not a terminal), and a line per unit that errored.
 *
 * @example
 * await caiRevise(settings, { store, layer, events: caiEventPrinter(io) });
 */
export function caiEventPrinter(io: CliIO, options: { quiet?: boolean; batch?: boolean } = {}): (event: CaiEvent | CaiNotice) => void {
  const progress = new ProgressRenderer(io.stderr);
  let alreadyDone = 0;
  let unitErrors = 0;
  return (event) => {
    switch (event.type) {
      case 'notice':
        progress.done();
        writeLine(io.stderr, `redcard: ${event.level}: ${stripTerminalControls(event.message)}`);
        return;
      case 'waiting':
        writeLine(io.stderr, `redcard: CAI run ${event.runId} is being worked by pid ${event.holder.pid} on ${event.holder.host}; waiting (--wait)`);
        return;
      case 'start':
        alreadyDone = event.alreadyDone;
        writeLine(
          io.stderr,
          `redcard: ${event.resumed ? 'resuming' : 'starting'} CAI ${event.run.kind} run ${event.run.id}: ${event.planned} ${event.run.kind === 'revise' ? 'items' : 'pairs'}` +
            (event.alreadyDone > 0 ? `, ${event.alreadyDone} already done` : ''),
        );
        if (event.run.simulatedRoles.length > 0) writeLine(io.stderr, `redcard: SIMULATED ${event.run.simulatedRoles.join(', ')}: the data says nothing about a real model`);
        return;
      case 'progress':
        if (!options.quiet) progress.update({ done: event.done, total: event.total, sessionDone: event.done - alreadyDone, errors: event.errors, retries: 0, cacheHits: 0, elapsedMs: event.elapsedMs });
        return;
      case 'unit':
        if (event.unit.error !== null && (unitErrors += 1) <= SHOWN_UNIT_ERRORS) {
          progress.done();
          writeLine(io.stderr, `redcard: ${event.unit.key}: error at ${event.unit.error.stage}: ${stripTerminalControls(event.unit.error.message)}`);
        }
        return;
      case 'finish':
        progress.done();
        if (unitErrors > SHOWN_UNIT_ERRORS) writeLine(io.stderr, `redcard: ${unitErrors} units errored in this session (${unitErrors - SHOWN_UNIT_ERRORS} not shown; 'redcard cai report ${event.run.id}' lists them)`);
        if (event.errors > 0 && event.deferred === 0) {
          const redo = `redcard cai ${event.run.kind} --resume ${event.run.id}${options.batch ? ' --batch-export FILE' : ''}`;
          writeLine(io.stderr, `redcard: ${event.errors} units have errors: '${redo}' ${options.batch ? 'asks their calls again in the next Batch file' : 'redoes them'}`);
        }
        return;
    }
  };
}

/**
 * The GPU-hour projection of a run's cost for a target size and throughput, when both are given.
 *
 * @example
 * projectionFor(cost, { projectSamples: 45000, tokensPerSecondPerGpu: 2500 })?.gpuHours
 */
export function projectionFor(cost: CaiCost, target: { projectSamples?: number; tokensPerSecondPerGpu?: number }): CostProjection | undefined {
  if (target.projectSamples === undefined || target.tokensPerSecondPerGpu === undefined) return undefined;
  return projectCaiCost(cost.perUnit.completionTokens, { samples: target.projectSamples, tokensPerSecondPerGpu: target.tokensPerSecondPerGpu });
}

/** The cost as terminal lines: one per stage, the total, throughput, and the projection beside the published run. */
export function costLines(cost: CaiCost, projection: CostProjection | undefined): string[] {
  const rows = [...cost.byStage.map((line) => ({ name: line.stage, line })), { name: 'total', line: cost.total }];
  const width = Math.max(...rows.map((row) => row.name.length));
  const lines = rows.map(
    ({ name, line }) =>
      `  ${name.padEnd(width)}  ${number(line.requests)} requests (${number(line.cachedRequests)} cached${line.reusedAnswers > 0 ? `, ${number(line.reusedAnswers)} answers reused` : ''}), ` +
      `${number(line.promptTokens)} prompt + ${number(line.completionTokens)} completion tokens`,
  );
  lines.push(
    `  wall-clock ${number(cost.wallTimeMs / 1000, 1)} s; achieved ${cost.achievedTokensPerSecond === null ? '–' : number(cost.achievedTokensPerSecond, 1)} completion tokens/s; ` +
      `${number(cost.perUnit.completionTokens, 1)} completion tokens per unit`,
  );
  if (projection) {
    lines.push(
      `  projection: ${number(projection.samples)} samples × ${number(projection.completionTokensPerSample, 1)} completion tokens at ${number(projection.tokensPerSecondPerGpu, 1)} tokens/s per GPU = ${number(projection.gpuHours, 2)} GPU-hours`,
    );
    for (const reference of referenceRuns()) {
      lines.push(`  (${reference.name}: ${number(reference.samples)} samples, ${number(reference.gpuHours, 1)} GPU-hours on ${reference.gpus} GPUs, ${number(reference.completionTokensPerSample)} tokens per sample)`);
    }
  }
  return lines;
}

/**
 * What a finished (or interrupted) CAI session prints on stdout: the run, its counts and rates, its cost, the files
 * written, and the next command of the loop.
 *
 * @example
 * printCaiResult(io, store, result.run, { projectSamples: 45000, tokensPerSecondPerGpu: 2500 }, files);
 */
export function printCaiResult(io: CliIO, store: Store, run: CaiRunRecord, target: { projectSamples?: number; tokensPerSecondPerGpu?: number }, files: ExportedFile[] | undefined, out?: string): void {
  const units = (): Iterable<CaiItem | CaiPair> => caiUnits(store, run);
  const summary = run.kind === 'revise' ? summarizeRevise(units() as Iterable<CaiItem>) : summarizePrefs(units() as Iterable<CaiPair>);
  const cost = caiRunCost(store, run);
  writeLine(io.stdout, `CAI ${run.kind} run ${run.id}: ${run.status}${run.simulatedRoles.length > 0 ? ` (SIMULATED: ${run.simulatedRoles.join(', ')})` : ''}`);
  for (const line of renderSummaryMarkdown(summary)) writeLine(io.stdout, line.replace(/^- /, '  '));
  writeLine(io.stdout, 'Cost:');
  for (const line of costLines(cost, projectionFor(cost, target))) writeLine(io.stdout, line);
  if (files !== undefined && out !== undefined) {
    writeLine(io.stdout, `Wrote ${out}: ${files.map((file) => `${file.path}${file.path.endsWith('.md') ? '' : ` (${number(file.rows)})`}`).join(', ')}`);
  }
  if (run.status === 'completed') {
    const next = run.kind === 'revise' ? `redcard cai prefs --from ${run.id} --target SPEC [--feedback SPEC]; ` : '';
    writeLine(io.stdout, `Next: ${next}redcard cai report ${run.id}${out === undefined ? `; redcard cai export ${run.id} --out DIR` : ''}`);
  } else {
    writeLine(io.stdout, `Resume with the same command (or --resume ${run.id}).`);
  }
}
