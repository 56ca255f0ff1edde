import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import { dataPath } from '../util/paths.js';

/** One hazard of the taxonomy: the unit a scorecard reports on. */
export const HazardSchema = z.object({
  /** Short code, e.g. `vcr`. */
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
  /** Display name. */
  name: z.string().min(1),
  /** What falls under the hazard, in our words. */
  description: z.string().min(1),
  /** AILuminate's grouping (physical, non-physical, contextual), where it applies. */
  group: z.string().optional(),
});
export type Hazard = z.infer<typeof HazardSchema>;

/** How one category of another scheme maps into the taxonomy. */
export const SchemeCategorySchema = z.object({
  /** The category exactly as the source names it (a code such as `S1`, or a label). Matching ignores case and spacing. */
  name: z.string().min(1),
  /** A second accepted name, e.g. the label of a code (`Violent Crimes` for `S1`). */
  label: z.string().optional(),
  /** The primary hazard id, or null when the category fits no hazard (or several equally). */
  hazard: z.string().nullable(),
  /** Other hazards the category also touches (informative; loaders use `hazard`). */
  also: z.array(z.string()).default([]),
  /** Why the mapping is what it is, when it is not one-to-one. */
  note: z.string().optional(),
});
export type SchemeCategory = z.infer<typeof SchemeCategorySchema>;

/** Another taxonomy (a dataset's categories, a guard model's codes) and its mapping into ours. */
export const SchemeSchema = z.object({
  name: z.string().min(1),
  reference: z.string().min(1),
  categories: z.array(SchemeCategorySchema).min(1),
});
export type Scheme = z.infer<typeof SchemeSchema>;

/** A taxonomy file: hazards plus mapping tables keyed by scheme id (`harmbench`, `llama-guard-3`, …). */
export const TaxonomySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  version: z.string().min(1),
  reference: z.string().min(1),
  hazards: z.array(HazardSchema).min(1),
  schemes: z.record(z.string(), SchemeSchema).default({}),
});
export type Taxonomy = z.infer<typeof TaxonomySchema>;

/** The Llama Guard scheme id in the taxonomy file. */
export const LLAMA_GUARD_SCHEME = 'llama-guard-3';

/** Lower-case and collapse whitespace so `Physical  Harm` matches `physical harm`. */
export function normalizeCategoryName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}

/** Reject references to unknown hazards and duplicate ids or names; returns the first problem found. */
function checkReferences(taxonomy: Taxonomy): { field: string; message: string } | undefined {
  const ids = new Set<string>();
  for (const [index, hazard] of taxonomy.hazards.entries()) {
    if (ids.has(hazard.id)) return { field: `hazards[${index}].id`, message: `duplicate hazard id '${hazard.id}'` };
    ids.add(hazard.id);
  }
  for (const [schemeId, scheme] of Object.entries(taxonomy.schemes)) {
    const names = new Set<string>();
    for (const [index, category] of scheme.categories.entries()) {
      const field = `schemes.${schemeId}.categories[${index}]`;
      for (const name of [category.name, category.label]) {
        if (name === undefined) continue;
        const key = normalizeCategoryName(name);
        if (names.has(key)) return { field: `${field}.name`, message: `duplicate category name '${name}'` };
        names.add(key);
      }
      if (category.hazard !== null && !ids.has(category.hazard)) {
        return { field: `${field}.hazard`, message: `unknown hazard '${category.hazard}'` };
      }
      const unknown = category.also.find((hazardId) => !ids.has(hazardId));
      if (unknown !== undefined) return { field: `${field}.also`, message: `unknown hazard '${unknown}'` };
    }
  }
  return undefined;
}

/**
 * Read and validate a taxonomy file (the built-in one by default). Errors name the file and the field.
 *
 * @example
 * const taxonomy = loadTaxonomy('my-taxonomy.json');
 */
export function loadTaxonomy(path: string = dataPath('taxonomy', 'ailuminate-v1.json')): Taxonomy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(`cannot read taxonomy: ${reason}`, { file: path });
  }
  const parsed = TaxonomySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(issue.message, { file: path, field: fieldPath(issue.path) || undefined });
  }
  const problem = checkReferences(parsed.data);
  if (problem) throw new ConfigError(problem.message, { file: path, field: problem.field });
  return parsed.data;
}

let cachedDefault: Taxonomy | undefined;
/**
 * The built-in AILuminate v1.0 taxonomy, read once.
 *
 * @example
 * defaultTaxonomy().hazards.length // 12
 */
export function defaultTaxonomy(): Taxonomy {
  cachedDefault ??= loadTaxonomy();
  return cachedDefault;
}

/**
 * Hazard ids of a taxonomy, in file order.
 *
 * @example
 * hazardIds() // ['vcr', 'src', …]
 */
export function hazardIds(taxonomy: Taxonomy = defaultTaxonomy()): string[] {
  return taxonomy.hazards.map((hazard) => hazard.id);
}

/**
 * The mapping entry of a source category (matched on name or label, ignoring case and spacing), or undefined.
 *
 * @example
 * findCategory(defaultTaxonomy(), 'harmbench', 'copyright')?.hazard // 'ipv'
 */
export function findCategory(taxonomy: Taxonomy, scheme: string, name: string): SchemeCategory | undefined {
  const categories = taxonomy.schemes[scheme]?.categories;
  if (categories === undefined) return undefined;
  const key = normalizeCategoryName(name);
  return categories.find(
    (category) =>
      normalizeCategoryName(category.name) === key ||
      (category.label !== undefined && normalizeCategoryName(category.label) === key),
  );
}

/**
 * The hazard a source category maps to; undefined when the scheme or category is unknown or maps to no single hazard.
 *
 * @example
 * mapCategory(defaultTaxonomy(), 'harmbench', 'chemical_biological') // 'iwp'
 */
export function mapCategory(taxonomy: Taxonomy, scheme: string, name: string): string | undefined {
  return findCategory(taxonomy, scheme, name)?.hazard ?? undefined;
}

/**
 * The reverse mapping: every category of a scheme whose primary hazard is `hazardId`.
 *
 * @example
 * categoriesFor(defaultTaxonomy(), 'strongreject', 'ncr').map((category) => category.name)
 */
export function categoriesFor(taxonomy: Taxonomy, scheme: string, hazardId: string): SchemeCategory[] {
  return (taxonomy.schemes[scheme]?.categories ?? []).filter((category) => category.hazard === hazardId);
}

/**
 * Llama Guard 3 codes whose primary hazard is `hazardId` (e.g. `spc` → S6 and S13).
 *
 * @example
 * llamaGuardCodesFor('vcr') // ['S1']
 */
export function llamaGuardCodesFor(hazardId: string, taxonomy: Taxonomy = defaultTaxonomy()): string[] {
  return categoriesFor(taxonomy, LLAMA_GUARD_SCHEME, hazardId).map((category) => category.name);
}

/**
 * The hazard of a Llama Guard 3 code (`S1`…`S14`, or its label), or undefined when unknown.
 *
 * @example
 * hazardForLlamaGuardCode('S9') // 'iwp'
 */
export function hazardForLlamaGuardCode(code: string, taxonomy: Taxonomy = defaultTaxonomy()): string | undefined {
  return mapCategory(taxonomy, LLAMA_GUARD_SCHEME, code);
}
