import type { Judge, JudgedAttempt, JudgedResponse, JudgeOptions, JudgeStats } from '../spec/judge.js';
import { defineJudgeKind } from '../spec/judge-kind.js';
import { ConfigError } from '../spec/errors.js';
import { isUndeterminedVerdict, type Verdict } from '../spec/verdict.js';

/**
 * Whether a stage's verdict stands, or goes on to the next stage. Exactly the verdicts that leave the outcome open
 * go on: judge errors and verdicts the judge marked `undetermined` ({@link isUndeterminedVerdict}), plus a verdict
 * with `harmful: null` on a harmful behavior (undetermined in effect, even if the judge did not say why). Everything
 * a stage decided, refusal or not, stands.
 *
 * @example
 * isSettled({ label: 'compliance', harmful: true, score: 0.9, judge: 'refusal' }, false) // true
 * isSettled({ label: 'compliance', harmful: null, score: 0.5, judge: 'refusal', undetermined: 'low-confidence' }, false) // false
 */
export function isSettled(verdict: Verdict, benign: boolean): boolean {
  if (isUndeterminedVerdict(verdict)) return false;
  return benign || verdict.harmful !== null;
}

/** One stage of a cascade: its short name (the kind) and its judge. */
export interface CascadeStage {
  name: string;
  judge: Judge;
}

/**
 * Split `refusal>llm:openai:base-url=http://…,model=x` into stage specs. Only `>` separates stages (specs contain colons).
 *
 * @example
 * splitCascadeSpec('refusal>llm:sim') // ['refusal', 'llm:sim']
 */
export function splitCascadeSpec(argument: string): string[] {
  const specs = argument.split('>').map((spec) => spec.trim());
  if (specs.length < 2 || specs.some((spec) => spec === '')) {
    throw new ConfigError(`a cascade needs two or more judges separated by '>', e.g. 'cascade:refusal>llm:sim'; got '${argument}'`, { field: 'judge' });
  }
  return specs;
}

/**
 * Cheap judges first: each stage but the last decides the responses it is sure of ({@link isSettled}); its
 * undetermined verdicts and errors go to the next stage, and the last stage's verdict always stands. The verdict's `judge` names the cascade
 * and the stage that settled it, e.g. `cascade(refusal>llm)/refusal`.
 *
 * @example
 * createCascadeJudge('cascade:refusal>llm:sim', [{ name: 'refusal', judge: refusal }, { name: 'llm', judge: llm }])
 */
export function createCascadeJudge(id: string, stages: CascadeStage[]): Judge {
  const calls = stages.map(() => 0);
  const prefix = `cascade(${stages.map((stage) => stage.name).join('>')})`;
  const limits = stages.map((stage) => stage.judge.concurrency).filter((limit): limit is number => limit !== undefined);
  return {
    id,
    concurrency: limits.length > 0 ? Math.min(...limits) : undefined,
    async judge(attempt: JudgedAttempt, response: JudgedResponse, options?: JudgeOptions): Promise<Verdict> {
      for (let index = 0; ; index += 1) {
        const stage = stages[index];
        calls[index] += 1;
        const verdict = await stage.judge.judge(attempt, response, options);
        if (index === stages.length - 1 || isSettled(verdict, attempt.behavior.benign)) return { ...verdict, judge: `${prefix}/${stage.name}` };
      }
    },
    stats(): JudgeStats {
      const counts: JudgeStats = {};
      stages.forEach((stage, index) => {
        counts[`stage${index + 1}.${stage.name}.calls`] = calls[index];
        for (const [key, value] of Object.entries(stage.judge.stats?.() ?? {})) {
          if (key !== 'calls') counts[`stage${index + 1}.${stage.name}.${key}`] = value;
        }
      });
      return counts;
    },
    async close() {
      await Promise.all(stages.map((stage) => stage.judge.close?.()));
    },
  };
}

/** `cascade:SPEC>SPEC[>SPEC…]`. */
export const cascadeJudgeKind = defineJudgeKind({
  kind: 'cascade',
  description: 'Cheap judges first: a stage decides what it is sure of; its undetermined verdicts and errors go to the next (more expensive) judge.',
  reference: 'https://doi.org/10.1109/CVPR.2001.990517',
  needsTarget: false,
  create(argument, context) {
    if (!argument) throw new ConfigError("a cascade needs stages: 'cascade:refusal>llm:TARGET'", { field: 'judge' });
    const specs = splitCascadeSpec(argument);
    const kinds = specs.map((spec) => (spec.includes(':') ? spec.slice(0, spec.indexOf(':')) : spec));
    // A kind used twice (e.g. a small then a large `llm`) is numbered, so the verdict says which one settled.
    const stages = specs.map((spec, index) => ({
      name: kinds.filter((kind) => kind === kinds[index]).length > 1 ? `${kinds[index]}#${index + 1}` : kinds[index],
      judge: context.resolveJudge(spec),
    }));
    return createCascadeJudge(`cascade:${argument}`, stages);
  },
});
