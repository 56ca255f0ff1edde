import { countsByCategory, fleissKappa } from '../../stats/fleiss-kappa.js';
import { krippendorffAlphaNominal } from '../../stats/krippendorff-alpha.js';
import { currentLabels, latestAdjudications, type Adjudication, type Label, type LabelValues } from '../db/labels.js';
import { getTask, listItems, type Question, type Task, type TaskItem } from '../db/tasks.js';
import type { ServeDatabase } from '../db/serve-database.js';

/** Agreement on one question of a task. */
export interface QuestionAgreement {
  question: Question;
  /** Krippendorff's alpha (nominal) over every item with at least two labels; null when undefined. */
  alpha: number | null;
  /** Items that entered alpha (two or more labels). */
  alphaItems: number;
  /** Fleiss' kappa over the items with at least k labels, reading the first k annotators of each; null when undefined or k < 2. */
  kappa: number | null;
  /** Items that entered kappa. */
  kappaItems: number;
  /** Raters per item in kappa (the task's k). */
  raters: number;
  /** Landis & Koch's word for alpha (`slight` … `almost perfect`), a reading aid shown beside the number. */
  reading: string;
}

/** Progress and agreement of a task, as the pages and `GET /api/tasks/:id/agreement` show them. */
export interface TaskAgreement {
  taskId: number;
  items: number;
  /** Items with at least k current labels. */
  completeItems: number;
  /** Current labels (one per annotator and item). */
  labels: number;
  /** Labels still needed for every item to reach k. */
  remaining: number;
  questions: QuestionAgreement[];
}

/** A label's answer to one question, as a nominal value ('yes'/'no' for harmful); null when not given. */
export function answerOf(values: LabelValues, question: Question): string | null {
  if (question === 'harmful') return values.harmful === null ? null : values.harmful ? 'yes' : 'no';
  return values[question];
}

/**
 * Live agreement of a task: per question Krippendorff's α (nominal, all items with ≥ 2 labels) and Fleiss' κ (items
 * with ≥ k labels, first k annotators each), with the numbers of items each is computed on.
 *
 * @example
 * taskAgreement(db, 3).questions[0] // { question: 'harmful', alpha: 0.71, alphaItems: 40, kappa: 0.70, kappaItems: 38, raters: 3 }
 */
export function taskAgreement(db: ServeDatabase, taskId: number): TaskAgreement {
  const task = getTask(db, taskId);
  const items = listItems(db, taskId);
  const labels = currentLabels(db, taskId);
  let labelCount = 0;
  let complete = 0;
  let remaining = 0;
  for (const item of items) {
    const count = labels.get(item.id)?.length ?? 0;
    labelCount += count;
    if (count >= task.k) complete += 1;
    else remaining += task.k - count;
  }
  const questions = task.questions.map((question): QuestionAgreement => {
    const units = items.map((item) => (labels.get(item.id) ?? []).map((label) => answerOf(label, question)).filter((value): value is string => value !== null));
    const alpha = krippendorffAlphaNominal(units);
    const kappaUnits = task.k >= 2 ? units.filter((unit) => unit.length >= task.k).map((unit) => unit.slice(0, task.k)) : [];
    const kappa = kappaUnits.length > 0 ? fleissKappa(countsByCategory(kappaUnits).counts).kappa : null;
    return { question, alpha: alpha.alpha, alphaItems: alpha.units, kappa, kappaItems: kappaUnits.length, raters: task.k, reading: agreementWord(alpha.alpha) };
  });
  return { taskId, items: items.length, completeItems: complete, labels: labelCount, remaining, questions };
}

/** What the annotators (or the adjudicator) settled for an item. */
export interface ItemConsensus {
  item: TaskItem;
  labels: Label[];
  adjudication: Adjudication | undefined;
  /** Per question: the adjudicated answer, else the strict majority of current labels once there are k; else null. */
  answers: Record<Question, string | null>;
  /** True when two or more labels disagree on some question. */
  disagreement: boolean;
  /** True when the item has k labels or an adjudication. */
  settled: boolean;
}

/**
 * The consensus of every item of a task: majority labels (a strict majority among at least k current labels), an
 * adjudication overriding them.
 *
 * @example
 * taskConsensus(db, 3).filter((entry) => entry.disagreement) // the disagreement view
 */
export function taskConsensus(db: ServeDatabase, taskId: number): { task: Task; items: ItemConsensus[] } {
  const task = getTask(db, taskId);
  const labels = currentLabels(db, taskId);
  const adjudications = latestAdjudications(db, taskId);
  const items = listItems(db, taskId).map((item): ItemConsensus => {
    const itemLabels = labels.get(item.id) ?? [];
    const adjudication = adjudications.get(item.id);
    const answers = {} as Record<Question, string | null>;
    let disagreement = false;
    for (const question of task.questions) {
      const values = itemLabels.map((label) => answerOf(label, question)).filter((value): value is string => value !== null);
      if (new Set(values).size > 1) disagreement = true;
      answers[question] = adjudication ? answerOf(adjudication, question) : itemLabels.length >= task.k ? strictMajority(values) : null;
    }
    return { item, labels: itemLabels, adjudication, answers, disagreement, settled: adjudication !== undefined || itemLabels.length >= task.k };
  });
  return { task, items };
}

/**
 * The value more than half of the values share, or null (a tie or a plurality only).
 *
 * @example
 * strictMajority(['yes', 'yes', 'no']) // 'yes'
 */
export function strictMajority(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  for (const [value, count] of counts) if (count * 2 > values.length) return value;
  return null;
}

/**
 * Landis & Koch's (1977) words for an agreement coefficient, as a reading aid beside the number.
 *
 * @example
 * agreementWord(0.7) // 'substantial'
 */
export function agreementWord(value: number | null): string {
  if (value === null) return 'not enough labels yet';
  if (value < 0) return 'worse than chance';
  if (value <= 0.2) return 'slight';
  if (value <= 0.4) return 'fair';
  if (value <= 0.6) return 'moderate';
  if (value <= 0.8) return 'substantial';
  return 'almost perfect';
}

