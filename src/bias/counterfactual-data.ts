import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DatasetError } from '../spec/errors.js';
import { dataPath } from '../util/paths.js';

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

const GroupSchema = z.object({ id: z.string().regex(SLUG), name: z.string().min(1), phrase: z.string().min(1) }).strict();
const DimensionSchema = z.object({ id: z.string().regex(SLUG), name: z.string().min(1), groups: z.array(GroupSchema).min(2) }).strict();
const TemplateSchema = z
  .object({
    id: z.string().regex(SLUG),
    /** Advice domain: medical, legal, financial, employment, housing, education; `borderline`; `safety` for their twins. */
    domain: z.string().regex(SLUG),
    /** `benign`: refusing it is a harm. `borderline`: a careful model may hesitate; judged for harm. */
    kind: z.enum(['benign', 'borderline']),
    /** Hazard id of the taxonomy the request belongs to. */
    category: z.string().min(1),
    /** A borderline template's topic-matched benign twin, and back. */
    twin: z.string().regex(SLUG).optional(),
    /** The request, with the slot exactly once. */
    text: z.string().min(1),
  })
  .strict();

/** The counterfactual suite file, data/suites/counterfactual.json (written by us; docs/bias.md). */
export const CounterfactualSuiteSchema = z
  .object({
    description: z.string(),
    /** The placeholder each template holds once, e.g. `{person}`. */
    slot: z.string().min(1),
    dimensions: z.array(DimensionSchema).min(1),
    templates: z.array(TemplateSchema).min(1),
  })
  .strict();
export type CounterfactualSuite = z.infer<typeof CounterfactualSuiteSchema>;
export type CounterfactualTemplate = z.infer<typeof TemplateSchema>;
export type CounterfactualDimension = z.infer<typeof DimensionSchema>;

/** Where a counterfactual behavior came from, read back from its id. */
export interface CounterfactualKey {
  template: string;
  dimension: string;
  group: string;
}

/** Prefix of every counterfactual behavior id. */
export const COUNTERFACTUAL_PREFIX = 'counterfactual';

/**
 * Behavior id of a template filled with a group: `counterfactual.<template>.<dimension>.<group>`.
 *
 * @example
 * counterfactualId({ template: 'medical-cough', dimension: 'religion', group: 'muslim' }) // 'counterfactual.medical-cough.religion.muslim'
 */
export function counterfactualId(key: CounterfactualKey): string {
  return `${COUNTERFACTUAL_PREFIX}.${key.template}.${key.dimension}.${key.group}`;
}

/**
 * The template, dimension and group of a counterfactual behavior id, or undefined for any other id.
 *
 * @example
 * parseCounterfactualId('counterfactual.medical-cough.religion.muslim')?.group // 'muslim'
 */
export function parseCounterfactualId(id: string): CounterfactualKey | undefined {
  const parts = id.split('.');
  if (parts.length !== 4 || parts[0] !== COUNTERFACTUAL_PREFIX) return undefined;
  return { template: parts[1]!, dimension: parts[2]!, group: parts[3]! };
}

/**
 * A template with its slot filled: the only difference between the prompts of one template.
 *
 * @example
 * fillTemplate("I'm {person}. How do I write a will?", '{person}', 'a Sikh') // "I'm a Sikh. How do I write a will?"
 */
export function fillTemplate(text: string, slot: string, phrase: string): string {
  const at = text.indexOf(slot);
  return `${text.slice(0, at)}${phrase}${text.slice(at + slot.length)}`;
}

/** Check what the schema cannot: unique ids, the slot exactly once, twins that point back. */
function checkSuite(suite: CounterfactualSuite, file: string): void {
  const fail = (message: string): never => {
    throw new DatasetError(message, file);
  };
  const templates = new Map(suite.templates.map((template) => [template.id, template]));
  if (templates.size !== suite.templates.length) fail('duplicate template id');
  if (new Set(suite.dimensions.map((dimension) => dimension.id)).size !== suite.dimensions.length) fail('duplicate dimension id');
  for (const dimension of suite.dimensions) {
    if (new Set(dimension.groups.map((group) => group.id)).size !== dimension.groups.length) fail(`duplicate group id in ${dimension.id}`);
  }
  for (const template of suite.templates) {
    if (template.text.split(suite.slot).length !== 2) fail(`template ${template.id} must hold ${suite.slot} exactly once`);
    if (template.twin !== undefined && templates.get(template.twin)?.twin !== template.id) fail(`template ${template.id}: twin ${template.twin} must point back`);
  }
}

let cached: CounterfactualSuite | undefined;

/**
 * The built-in counterfactual suite, read and checked once.
 *
 * @throws DatasetError for a schema violation, a duplicate id, a template without exactly one slot.
 * @example
 * loadCounterfactualSuite().dimensions.map((dimension) => dimension.id) // ['gender', 'race-ethnicity', …]
 */
export function loadCounterfactualSuite(file = dataPath('suites', 'counterfactual.json')): CounterfactualSuite {
  if (cached !== undefined && file === dataPath('suites', 'counterfactual.json')) return cached;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DatasetError(`cannot read the counterfactual suite: ${(error as Error).message}`, file);
  }
  const parsed = CounterfactualSuiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DatasetError(`field '${issue.path.join('.')}': ${issue.message}`, file);
  }
  checkSuite(parsed.data, file);
  if (file === dataPath('suites', 'counterfactual.json')) cached = parsed.data;
  return parsed.data;
}
