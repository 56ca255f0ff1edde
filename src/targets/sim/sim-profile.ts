import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, DatasetError } from '../../spec/errors.js';
import { dataPath } from '../../util/paths.js';
import { sha256 } from '../../util/hash.js';

const CueSchema = z.object({ pattern: z.string(), minMatches: z.number().int().positive().optional() });

/** A safety profile file (data/sim/profiles/NAME.json); `extends` names a base profile whose fields it overrides. */
const ProfileFileSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    extends: z.string().optional(),
    refusal: z
      .object({
        max: z.number().min(0).max(1),
        partialShare: z.number().min(0).max(1),
        contentFilterRate: z.number().min(0).max(1),
        threshold: z.number().min(0).max(1),
        steepness: z.number().positive(),
      })
      .partial()
      .optional(),
    overRefusal: z.object({ base: z.number().min(0).max(1), scary: z.number().min(0).max(1) }).partial().optional(),
    attackStrength: z.number().min(0).optional(),
    harmCues: z.array(CueSchema.extend({ hazard: z.string(), weight: z.number().min(0).max(1), attackResistance: z.number().min(0).max(1).optional(), refusalScale: z.number().min(0).max(2).optional() })).optional(),
    intentCues: z.array(CueSchema.extend({ id: z.string(), weight: z.number().min(0).max(1), blocksSofteners: z.boolean().optional() })).optional(),
    softeners: z.array(CueSchema.extend({ id: z.string(), factor: z.number().min(0).max(1) })).optional(),
    scaryWords: z.array(z.string()).optional(),
    attackCues: z.array(CueSchema.extend({ id: z.string(), factor: z.number().min(0).max(1) })).optional(),
    replyEncodings: z.array(z.object({ encoding: z.enum(['base64', 'rot13', 'reverse', 'leetspeak', 'spaced']), pattern: z.string() })).optional(),
    groupRefusal: z.array(CueSchema.extend({ id: z.string(), refusal: z.number().min(0).max(1) })).optional(),
  })
  .strict();
type ProfileFile = z.infer<typeof ProfileFileSchema>;

/** A compiled cue: a case-insensitive pattern, and how many matches it needs. */
export interface CompiledCue {
  regex: RegExp;
  minMatches: number;
}

export type ReplyEncoding = 'base64' | 'rot13' | 'reverse' | 'leetspeak' | 'spaced';

/** A loaded profile with compiled patterns, ready for the simulator. */
export interface SimProfile {
  name: string;
  /** The file it was read from (differs per install: not part of a model's identity). */
  source: string;
  /** Hash of the profile's merged content: what the simulator's identity names, wherever the package lives. */
  fingerprint: string;
  /** `threshold` and `steepness` shape the logistic curve from (softened) harm to refusal probability. */
  refusal: { max: number; partialShare: number; contentFilterRate: number; threshold: number; steepness: number };
  overRefusal: { base: number; scary: number };
  attackStrength: number;
  /** `attackResistance` (0–1) damps attacks on this hazard: real models give way least on the gravest (CSE, CBRN). */
  /** `refusalScale` multiplies `refusal.max` (the largest among matched cues wins): how firmly this hazard is trained. */
  harmCues: Array<CompiledCue & { hazard: string; weight: number; attackResistance: number; refusalScale?: number }>;
  /** `blocksSofteners`: an intent (e.g. evading detection) that no protective or educational framing excuses. */
  intentCues: Array<CompiledCue & { id: string; weight: number; blocksSofteners: boolean }>;
  softeners: Array<CompiledCue & { id: string; factor: number }>;
  scaryWords: CompiledCue[];
  attackCues: Array<CompiledCue & { id: string; factor: number }>;
  replyEncodings: Array<CompiledCue & { encoding: ReplyEncoding }>;
  /** A biased model: extra refusal probability when the request names a group (to show a counterfactual gap). */
  groupRefusal: Array<CompiledCue & { id: string; refusal: number }>;
}

const cache = new Map<string, SimProfile>();

/** Names of the profiles shipped in data/sim/profiles. */
export function builtInProfileNames(): string[] {
  return readdirSync(dataPath('sim', 'profiles'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function profilePath(nameOrFile: string, cwd: string): string {
  if (/^[a-z0-9][a-z0-9-]*$/.test(nameOrFile)) {
    const builtIn = dataPath('sim', 'profiles', `${nameOrFile}.json`);
    if (existsSync(builtIn)) return builtIn;
  }
  const file = isAbsolute(nameOrFile) ? nameOrFile : resolve(cwd, nameOrFile);
  if (existsSync(file)) return file;
  throw new ConfigError(`no sim profile '${nameOrFile}': not a built-in profile (${builtInProfileNames().join(', ')}) nor a file`, {
    field: 'target.profile',
  });
}

function readProfileFile(file: string): ProfileFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DatasetError(`not a JSON sim profile: ${(error as Error).message}`, file);
  }
  const parsed = ProfileFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError(`sim profile field '${issue.path.join('.')}': ${issue.message}`, file);
  }
  return parsed.data;
}

function merged(file: string, cwd: string, depth = 0): ProfileFile {
  const own = readProfileFile(file);
  if (own.extends === undefined) return own;
  if (depth > 5) throw new DatasetError('sim profile extends itself (or a chain deeper than 5)', file);
  const base = merged(profilePath(own.extends, cwd), cwd, depth + 1);
  return {
    ...base,
    ...own,
    refusal: { ...base.refusal, ...own.refusal },
    overRefusal: { ...base.overRefusal, ...own.overRefusal },
  };
}

function compile(pattern: string, file: string, minMatches = 1): CompiledCue {
  try {
    return { regex: new RegExp(pattern, minMatches > 1 ? 'gi' : 'i'), minMatches };
  } catch (error) {
    throw new DatasetError(`bad pattern '${pattern}': ${(error as Error).message}`, file);
  }
}

/**
 * Load a simulator safety profile by built-in name (`default`, `strict`, `weak`) or file path; compiled once and cached.
 *
 * @example
 * const profile = loadSimProfile('strict');
 */
export function loadSimProfile(nameOrFile = 'default', cwd = process.cwd()): SimProfile {
  const file = profilePath(nameOrFile, cwd);
  const cached = cache.get(file);
  if (cached) return cached;
  const data = merged(file, cwd);
  const profile: SimProfile = {
    name: data.name,
    source: file,
    fingerprint: sha256(JSON.stringify(data), 12),
    refusal: { max: 0.95, partialShare: 0.3, contentFilterRate: 0, threshold: 0.5, steepness: 12, ...data.refusal },
    overRefusal: { base: 0.005, scary: 0.05, ...data.overRefusal },
    attackStrength: data.attackStrength ?? 1,
    harmCues: (data.harmCues ?? []).map((cue) => ({
      ...compile(cue.pattern, file, cue.minMatches),
      hazard: cue.hazard,
      weight: cue.weight,
      attackResistance: cue.attackResistance ?? 0,
      ...(cue.refusalScale === undefined ? {} : { refusalScale: cue.refusalScale }),
    })),
    intentCues: (data.intentCues ?? []).map((cue) => ({
      ...compile(cue.pattern, file, cue.minMatches),
      id: cue.id,
      weight: cue.weight,
      blocksSofteners: cue.blocksSofteners ?? false,
    })),
    softeners: (data.softeners ?? []).map((cue) => ({ ...compile(cue.pattern, file, cue.minMatches), id: cue.id, factor: cue.factor })),
    scaryWords: (data.scaryWords ?? []).map((pattern) => compile(pattern, file)),
    attackCues: (data.attackCues ?? []).map((cue) => ({ ...compile(cue.pattern, file, cue.minMatches), id: cue.id, factor: cue.factor })),
    replyEncodings: (data.replyEncodings ?? []).map((cue) => ({ ...compile(cue.pattern, file), encoding: cue.encoding })),
    groupRefusal: (data.groupRefusal ?? []).map((cue) => ({ ...compile(cue.pattern, file, cue.minMatches), id: cue.id, refusal: cue.refusal })),
  };
  cache.set(file, profile);
  return profile;
}

/** True when the cue matches `text` at least `minMatches` times. */
export function cueMatches(cue: CompiledCue, text: string): boolean {
  if (cue.minMatches <= 1) return cue.regex.test(text);
  cue.regex.lastIndex = 0;
  let count = 0;
  while (cue.regex.exec(text) !== null) {
    count += 1;
    if (count >= cue.minMatches) return true;
  }
  return false;
}
