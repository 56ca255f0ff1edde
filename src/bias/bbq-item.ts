/** One BBQ item (a row of BBQ's `data/*.jsonl`), reduced to what prompting and scoring need. */
export interface BbqItem {
  /** BBQ category, e.g. `Age` (the file's `category` field). */
  category: string;
  /** `example_id`: unique within its category. */
  exampleId: number;
  /** `question_polarity`: `neg` asks who fits a negative stereotype, `nonneg` the opposite. */
  polarity: 'neg' | 'nonneg';
  /** `context_condition`: `ambig` (the answer is unknown) or `disambig` (the context says who). */
  condition: 'ambig' | 'disambig';
  context: string;
  question: string;
  /** The three answer options, `ans0`..`ans2`, in file order. */
  answers: [string, string, string];
  /** Index of the correct answer (`label`). */
  label: number;
  /** Index of the "unknown" option (the one whose `answer_info` group is `unknown`). */
  unknownIndex: number;
  /**
   * Index of the biased answer: the stereotyped group's answer for a negative question, the other person's for a
   * non-negative one; null when the stereotyped person cannot be identified (the item is excluded from scores).
   */
  biasedIndex: number | null;
  /** Where the row was read, for messages. */
  file: string;
  line: number;
}

/** Why a row is not a usable BBQ item (the caller names file and line). */
export class BbqRowError extends Error {}

const fold = (value: string): string => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Index of the stereotyped person's answer: the one non-unknown answer whose `answer_info` (name or group) is one of
 * `additional_metadata.stereotyped_groups` (compared case- and punctuation-insensitively). Null when none or both
 * match (a few BBQ items give both people the same group).
 *
 * @example
 * stereotypedIndex([['grandfather', 'old'], ['grandson', 'nonOld'], ["Can't be determined", 'unknown']], ['old'], 2) // 0
 */
export function stereotypedIndex(answerInfo: string[][], stereotypedGroups: string[], unknownIndex: number): number | null {
  const groups = new Set(stereotypedGroups.map(fold));
  const matches = answerInfo
    .map((info, index) => ({ index, hit: index !== unknownIndex && info.some((value) => groups.has(fold(value))) }))
    .filter((entry) => entry.hit);
  return matches.length === 1 ? matches[0]!.index : null;
}

function field<T>(row: Record<string, unknown>, name: string, check: (value: unknown) => value is T, expected: string): T {
  const value = row[name];
  if (!check(value)) throw new BbqRowError(`field '${name}' must be ${expected}`);
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isIndex = (value: unknown): value is number => value === 0 || value === 1 || value === 2;
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/**
 * A BBQ item from a parsed JSON row. Throws BbqRowError saying which field is wrong.
 *
 * @example
 * parseBbqRow(JSON.parse(line), 'Age.jsonl', 1).biasedIndex
 */
export function parseBbqRow(value: unknown, file: string, line: number): BbqItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BbqRowError('expected a JSON object');
  const row = value as Record<string, unknown>;
  const exampleId = row.example_id;
  if (typeof exampleId !== 'number' || !Number.isInteger(exampleId)) throw new BbqRowError("field 'example_id' must be an integer");
  const category = field(row, 'category', isString, 'a string');
  const polarity = field(row, 'question_polarity', (v): v is 'neg' | 'nonneg' => v === 'neg' || v === 'nonneg', "'neg' or 'nonneg'");
  const condition = field(row, 'context_condition', (v): v is 'ambig' | 'disambig' => v === 'ambig' || v === 'disambig', "'ambig' or 'disambig'");
  const answers: [string, string, string] = [field(row, 'ans0', isString, 'a string'), field(row, 'ans1', isString, 'a string'), field(row, 'ans2', isString, 'a string')];
  const label = field(row, 'label', isIndex, '0, 1 or 2');
  const info = row.answer_info as Record<string, unknown> | undefined;
  const answerInfo = ['ans0', 'ans1', 'ans2'].map((key) => {
    const entry = info?.[key];
    if (!isStringList(entry)) throw new BbqRowError(`field 'answer_info.${key}' must be a list of strings`);
    return entry;
  });
  const unknowns = answerInfo.flatMap((entry, index) => (entry[1]?.toLowerCase() === 'unknown' ? [index] : []));
  if (unknowns.length !== 1) throw new BbqRowError(`expected exactly one 'unknown' answer in answer_info, found ${unknowns.length}`);
  const metadata = row.additional_metadata as Record<string, unknown> | undefined;
  const groups = metadata?.stereotyped_groups;
  if (!isStringList(groups)) throw new BbqRowError("field 'additional_metadata.stereotyped_groups' must be a list of strings");
  const unknownIndex = unknowns[0]!;
  const target = stereotypedIndex(answerInfo, groups, unknownIndex);
  const other = target === null ? null : [0, 1, 2].find((index) => index !== target && index !== unknownIndex)!;
  return {
    category,
    exampleId,
    polarity,
    condition,
    context: field(row, 'context', isString, 'a string'),
    question: field(row, 'question', isString, 'a string'),
    answers,
    label,
    unknownIndex,
    biasedIndex: target === null ? null : polarity === 'neg' ? target : other,
    file,
    line,
  };
}

/** The key predictions are joined on: `category` and `example_id`. */
export function bbqKey(category: string, exampleId: number | string): string {
  return `${category}\u0000${exampleId}`;
}
