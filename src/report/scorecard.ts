import type { Proportion } from '../spec/calibration.js';
import type { CorrectedRate } from '../stats/rogan-gladen.js';
import type { Grade } from '../stats/grade.js';
import type { BiasSection } from '../bias/bias-section.js';
import type { HumanVerification } from './human-verification.js';
import type { RoleAccounting } from '../spec/attempt.js';

/** Version of the scorecard JSON; docs/scorecard-json.md documents every field. Changing a field bumps it. */
export const SCORECARD_VERSION = 2;

/** Which figure of a proportion a grade or gate reads. */
export type Statistic = 'upper' | 'estimate';

/** One attempt kept for drill-down (a bounded sample per cell). Texts are untrusted model/user text. */
export interface SampledAttempt {
  id: string;
  behavior: string;
  attack: string;
  sample: number;
  benign: boolean;
  /**
   * `attack-success` (harmful, judged harmful), `refused` (harmful, not harmful), `over-refusal` (benign, refused),
   * `answered` (benign, answered); left out of rates: `undetermined` (the judge was not confident), `empty` (no
   * answer), `error` (target, attack or judge failure; `rationale` holds the message).
   */
  outcome: 'attack-success' | 'refused' | 'over-refusal' | 'answered' | 'undetermined' | 'empty' | 'error';
  /** Last user message as sent (after the attack chain), truncated. */
  prompt: string;
  /** Response after decoding, truncated. */
  response: string;
  /** True when `prompt` or `response` was cut. */
  truncated: boolean;
  verdictLabel: string;
  rationale: string | null;
  judge: string;
  /** Strategy id, when an adaptive strategy made the attempt (the fields below are then present too). */
  strategy?: string;
  /** Target queries the attempt made. */
  queries?: number;
  /** Why the strategy stopped. */
  stopReason?: string;
  /** The trajectory, turn by turn (bounded; texts truncated). */
  trajectory?: SampledTurn[];
  /** Turns left out of `trajectory` to bound the report. */
  omittedTurns?: number;
}

/** One turn of a sampled trajectory. Texts are untrusted model output. */
export interface SampledTurn {
  index: number;
  /** Stream, branch path or candidate id; null for a single line of turns. */
  stream: string | null;
  parent: string | null;
  step: number;
  /** What the attacker replied, with its improvement, technique, fallback and tries; null when no attacker wrote the turn. */
  attacker: { reply: string; improvement?: string; technique?: string; fallback?: string; tries: number } | null;
  /** The message the target got this turn (the last of the conversation it saw); empty when pruned before sending. */
  prompt: string;
  /** The target's answer, decoded; null when the turn was never sent. */
  response: string | null;
  rating: number | null;
  rationale: string | null;
  verdictLabel: string | null;
  /** `off-topic`, `low-score`, `width`, `backtracked`, or null. */
  pruned: string | null;
  /** Target queries made up to this turn's commit. */
  queries: number;
  /** True for the turn whose verdict stands for the attempt. */
  decisive: boolean;
  truncated: boolean;
}

/** What a strategy column cost and how fast it succeeded (a cell's, or over the whole run). */
export interface StrategyStats {
  strategy: string;
  /** Strategy attempts counted, errors included. */
  attempts: number;
  /** Attack successes among them. */
  successes: number;
  /** Target queries, summed. */
  queries: number;
  queriesPerAttempt: number | null;
  /** Queries of the successful attempts: how many, their mean and median (null without successes). */
  queriesToSuccess: { n: number; mean: number | null; median: number | null };
  /** Attempts by stop reason (`success`, `exhausted`, `budget`, `attacker-failed`, `target-failed`). */
  stopReasons: Record<string, number>;
  /** Turns recorded, and of them how many were pruned, by reason. */
  turns: number;
  prunedTurns: Record<string, number>;
  /** Turns whose prompt came from a fallback because the attacker's replies were unusable. */
  attackerFallbacks: number;
  /** Requests, tokens and wall time per role (`target`, `attacker`, `evaluator`, `judge`…), from `Attempt.accounting`. */
  cost: RoleAccounting;
}

/** A strategy column over the whole run: its ASR beside its cost. */
export interface StrategySummary extends StrategyStats {
  /** The column (the attack as written, e.g. `strategy.pair:streams=5`). */
  vector: string;
  asr: Proportion;
}

/** One hazard × attack-vector cell. */
export interface CellScore {
  vector: string;
  /** All attempts of the cell, left-out ones included. */
  attempts: number;
  /** Attack successes over determined harmful attempts. */
  asr: Proportion;
  /** Over-refusals over determined benign attempts. */
  overRefusal: Proportion;
  /** Attempts without a usable verdict (target, attack or judge error). */
  errors: number;
  /** Undetermined verdicts over all attempts of the cell (left out of rates). */
  undetermined: Proportion;
  /** Empty answers over all attempts of the cell (left out of rates). */
  empty: Proportion;
  samples: SampledAttempt[];
  /** Present when the cell's attempts came from an adaptive strategy. */
  strategy?: StrategyStats;
}

/** The outcome of a policy check: `pass`; `fail` (a rate over its limit); `insufficient` (too little was measured to tell). */
export type CheckStatus = 'pass' | 'fail' | 'insufficient';

/** The outcome of one hazard's policy check. */
export interface PolicyCheck {
  /** True only when `status` is `pass`. */
  passed: boolean;
  status: CheckStatus;
  maxAsr: number;
  maxOverRefusal: number | null;
  /** The least number of determined attempts the policy needs (minJudgedPerHazard or the hazard's minJudged). */
  minJudged: number;
  /** The ASR figure compared (per the policy's gateStatistic). */
  asrValue: number;
  overRefusalValue: number | null;
  /** Why it failed (empty when passed); a note when there was nothing to check. */
  reasons: string[];
  /** Why the evidence does not suffice (too few determined attempts); empty when it does. */
  insufficient: string[];
  note: string | null;
}

/** Everything measured for one hazard. */
export interface HazardScore {
  id: string;
  /** Display name from the taxonomy, or the id when unknown. */
  name: string;
  /** False for categories outside the taxonomy (e.g. `harmbench:other`), which are still reported; null when no taxonomy was available. */
  inTaxonomy: boolean | null;
  /** All attempts seen for this hazard, errors included. */
  attempts: number;
  errors: number;
  /** Undetermined verdicts over all attempts of the hazard (left out of rates). */
  undetermined: Proportion;
  /** Empty answers over all attempts of the hazard (left out of rates). */
  empty: Proportion;
  asr: Proportion;
  /** Judge-corrected ASR (Rogan–Gladen), when a calibration of the run's judge exists. */
  correctedAsr: CorrectedRate | null;
  /** Share of harmful behaviors broken by at least one vector or sample. */
  worstCase: Proportion;
  overRefusal: Proportion;
  /** Null when there were no determined harmful attempts, or the run is INVALID. */
  grade: Grade | null;
  gradeBasis: { mode: 'absolute' | 'reference'; statistic: Statistic; value: number | null; reference: number | null };
  check: PolicyCheck;
  cells: CellScore[];
}

/** A saved judge calibration as a scorecard shows it. */
export interface ScorecardCalibration {
  /** Name it was saved under (`judge-eval --save NAME`) and asked for (`--calibration NAME`, policy `calibration:`). */
  name: string | null;
  /** The judge it measured (always the run's judge). */
  judge: string;
  /** The labelled data it was measured on. */
  dataset: string;
  createdAt: string;
  n: number;
  sensitivity: Proportion;
  specificity: Proportion;
  accuracy: number;
  kappa: number;
  /** Youden's J = sensitivity + specificity − 1 (point estimates). */
  youden: number;
  /** False when J is below MIN_IDENTIFIABLE_YOUDEN: no correction is made. */
  identifiable: boolean;
}

/** Whether the run measured what a scorecard needs: INVALID runs are never graded, gated as passing or ranked. */
export interface Validity {
  valid: boolean;
  /** Why it is INVALID (empty when valid). */
  reasons: string[];
}

/** The scorecard of one run. */
export interface Scorecard {
  scorecardVersion: number;
  generatedAt: string;
  /** The model's display name: the run's `name` (`--name`, config `name:`), else the target label. */
  displayName: string;
  /** True when any model in the run was simulated (`simulatedRoles` non-empty). */
  simulated: boolean;
  /** Roles played by simulated models (`target`, `judge`, `helper`, `attacker`, …). */
  simulatedRoles: string[];
  /** False for a run that measured nothing usable (most answers empty, or no determined attempt). */
  validity: Validity;
  run: {
    id: string;
    /** The run's display name when one was given, else null. */
    name: string | null;
    status: string;
    createdAt: string;
    updatedAt: string;
    planned: number;
    /** Attempts recorded (read). */
    recorded: number;
    /** True when the run is not `completed` or fewer attempts were recorded than planned. */
    incomplete: boolean;
    configHash: string;
    wallTimeMs: number;
  };
  target: { kind: string; label: string; identity: string; simulated: boolean };
  judge: {
    spec: string;
    /** The calibration applied (asked for by name), or null: rates are then not corrected. */
    calibration: ScorecardCalibration | null;
  };
  suites: string[];
  vectors: string[];
  samples: number;
  limit: number | null;
  params: Record<string, unknown>;
  tool: { name: string; version: string };
  tokens: { prompt: number; completion: number; total: number; responses: number; cachedResponses: number };
  reproduce: string;
  policy: {
    name: string;
    source: string;
    gradingMode: 'absolute' | 'reference';
    gradingStatistic: Statistic;
    gateStatistic: Statistic;
    maxAsr: number;
    maxOverRefusal: number | null;
    minJudgedPerHazard: number;
    maxUnmeasuredShare: number;
    /** The calibration the policy names (`calibration:`), when it names one. */
    calibration: string | null;
    reference: { runId: string; label: string } | null;
  };
  totals: {
    /** Attempts recorded, left-out ones included. */
    attempts: number;
    errors: { total: number; target: number; attack: number; judge: number; unjudged: number };
    /** Attempts with a usable verdict on a non-empty answer: the only ones rates are computed over. */
    determined: number;
    /** Undetermined verdicts over all attempts. */
    undetermined: Proportion;
    /** Empty answers over all attempts. */
    empty: Proportion;
    /** Attempts left out of rates: errors + undetermined + empty. */
    leftOut: number;
    /** Planned attempts not recorded (a partial run). */
    missing: number;
    /** Left-out and missing attempts over planned (or recorded, if more): what the gate's maxUnmeasuredShare reads. */
    unmeasured: Proportion;
    asr: Proportion;
    correctedAsr: CorrectedRate | null;
    overRefusal: Proportion;
  };
  overall: {
    /** Worst hazard grade; null when nothing was graded or the run is INVALID. */
    grade: Grade | null;
    /** True only when `status` is `pass`. */
    passed: boolean;
    /** `fail` when a hazard fails its limits; else `insufficient` when a hazard or the run lacks evidence; else `pass`. */
    status: CheckStatus;
    failedHazards: string[];
    /** Hazards whose check is `insufficient`. */
    insufficientHazards: string[];
    /** Run-level reasons the evidence does not suffice (INVALID, too many unmeasured attempts). */
    evidence: string[];
  };
  hazards: HazardScore[];
  /** Bias and fairness (BBQ scores, counterfactual refusal gaps), when the run has a bias suite; built by src/bias. */
  bias?: BiasSection;
  /** Per hazard, how many verdicts people verified in `redcard serve` and how often the judge agreed; absent without human labels. */
  humanVerification?: HumanVerification;
  /** One per strategy column, in `vectors` order; absent when no strategy ran. */
  strategies?: StrategySummary[];
}

/** Per-hazard ASR figures of a reference run, for reference-relative grading. */
export interface ReferenceRates {
  runId: string;
  label: string;
  /** Hazard id → ASR figure (the policy's grading statistic). */
  rates: Record<string, number>;
}

/**
 * The reference rates of a scorecard, reading the given statistic.
 *
 * @example
 * referenceFromScorecard(referenceCard, 'upper').rates.vcr
 */
export function referenceFromScorecard(scorecard: Scorecard, statistic: Statistic): ReferenceRates {
  const rates: Record<string, number> = {};
  for (const hazard of scorecard.hazards) {
    if (hazard.asr.n > 0) rates[hazard.id] = hazard.asr[statistic];
  }
  return { runId: scorecard.run.id, label: scorecard.displayName, rates };
}
