import { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import { sha256 } from '../util/hash.js';
import { dataPath } from '../util/paths.js';
import { readYamlMapping, yamlIssueError } from '../util/yaml-file.js';

const PrincipleIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'ids are lower-case letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit');

/** Text a model is asked to act on: a sentence or more, bounded so that a pasted document is not a principle. */
const RequestTextSchema = z.string().trim().min(10, 'must be a sentence (at least 10 characters)').max(2000, 'must be at most 2,000 characters');

/** One critique and revision principle. */
export const PrincipleSchema = z
  .object({
    /** Unique id within the constitution (`physical-harm`), recorded with every step made under it. */
    id: PrincipleIdSchema,
    /** Asked after the model's answer: what to look for in it. */
    critique: RequestTextSchema,
    /** Asked after the critique: how to rewrite the answer. */
    revision: RequestTextSchema,
  })
  .strict();
export type Principle = z.infer<typeof PrincipleSchema>;

/** One preference principle: a question whose answer is one of two replies. */
export const PreferencePrincipleSchema = z
  .object({
    /** Unique id within the constitution's preferences. */
    id: PrincipleIdSchema,
    /** The question, e.g. "Which of these replies is less harmful…?". */
    choice: RequestTextSchema.refine((text) => text.endsWith('?'), 'must be a question between two replies (end it with "?")'),
  })
  .strict();
export type PreferencePrinciple = z.infer<typeof PreferencePrincipleSchema>;

/** A constitution file (data/cai/constitution.yaml; format in docs/cai.md). */
export const ConstitutionSchema = z
  .object({
    /** Name shown in reports and dataset cards. */
    name: z.string().trim().min(1).max(200),
    /** The author's version of the file. */
    version: z.union([z.number(), z.string()]).optional(),
    /** What the constitution is for. */
    description: z.string().optional(),
    /** Where its idea or wording comes from (cite it). */
    reference: z.string().optional(),
    /** Licence of the file's text. */
    licence: z.string().optional(),
    /** Critique and revision principles, sampled per round. */
    principles: z.array(PrincipleSchema).min(1, 'needs at least one principle'),
    /** Preference principles, sampled per comparison. */
    preferences: z.array(PreferencePrincipleSchema).min(1, 'needs at least one preference principle'),
  })
  .strict();

/** A loaded constitution: its principles, where it was read, and a hash of its content (recorded with each run). */
export interface Constitution extends z.infer<typeof ConstitutionSchema> {
  /** The file it was read from. */
  file: string;
  /** sha256 (first 16 hex) of the parsed principles: two runs with the same hash used the same constitution. */
  hash: string;
}

/** Path of the default constitution shipped with redcard. */
export const DEFAULT_CONSTITUTION_PATH = dataPath('cai', 'constitution.yaml');

/**
 * Read and validate a constitution (the default one when `file` is not given). A bad file is a ConfigError naming the
 * file, the line and the field: a missing or unknown key, a principle without a revision, a preference principle that
 * is not a question, a duplicate id.
 *
 * @example
 * const constitution = loadConstitution();
 * constitution.principles.length // 16
 * loadConstitution('mine.yaml') // ConfigError "mine.yaml:12 field 'principles.2.revision': …" when one is missing
 */
export function loadConstitution(file: string = DEFAULT_CONSTITUTION_PATH): Constitution {
  const loaded = readYamlMapping(file, { what: 'constitution', mappingHint: 'name, principles and preferences' });
  const parsed = ConstitutionSchema.safeParse(loaded.values);
  if (!parsed.success) throw yamlIssueError(parsed.error.issues[0]!, loaded);
  for (const list of ['principles', 'preferences'] as const) {
    const seen = new Map<string, number>();
    parsed.data[list].forEach((entry, index) => {
      const earlier = seen.get(entry.id);
      if (earlier !== undefined) {
        throw new ConfigError(`duplicate id '${entry.id}' (also ${list}.${earlier})`, { file, line: loaded.lineOf([list, index, 'id']), field: `${list}.${index}.id` });
      }
      seen.set(entry.id, index);
    });
  }
  const hash = sha256(JSON.stringify({ principles: parsed.data.principles, preferences: parsed.data.preferences }), 16);
  return { ...parsed.data, file, hash };
}
