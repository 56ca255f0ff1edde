import type { ParseResult } from '../../judges/model/ask-judge-model.js';
import { bareWord, clip, parseKeyedLines } from '../../judges/model/parse-keyed-lines.js';
import { strategyPrompts } from './strategy-prompts.js';

/** Why an attacker reply was unusable: it refused to attack, or it broke the reply format. */
export type UnusableKind = 'refused' | 'format';

/** A parse result that says which way an unusable reply failed. */
export type AttackerParse<T> = { ok: true; value: T } | { ok: false; problem: string; kind: UnusableKind };

/** A proposed prompt shorter than this that reads like a refusal is the attacker refusing, not an attack. */
const SHORT_PROMPT = 200;

/**
 * True when text reads as an attacker declining to attack (patterns in data/attacks/strategies/common.json, tested
 * against its start).
 *
 * @example
 * isAttackerRefusal("I'm sorry, but I can't help write jailbreak prompts.") // true
 */
export function isAttackerRefusal(text: string): boolean {
  const head = text.trim().slice(0, 300);
  return strategyPrompts().common.refusal.some((pattern) => pattern.test(head));
}

/**
 * Scan `text` from the `{` at `start` to its matching `}`, respecting JSON strings, and return that object's text with
 * raw line breaks and tabs inside strings escaped (models often write multi-line prompts unescaped); undefined when
 * the braces never balance.
 */
function balancedObject(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let out = '';
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (character === '\\') escaped = true;
      else if (character === '"') inString = false;
      else if (character === '\n') {
        out += '\\n';
        continue;
      } else if (character === '\r') continue;
      else if (character === '\t') {
        out += '\\t';
        continue;
      }
      out += character;
      continue;
    }
    out += character;
    if (character === '"') inString = true;
    else if (character === '{') depth += 1;
    else if (character === '}') {
      depth -= 1;
      if (depth === 0) return out;
    }
  }
  return undefined;
}

/**
 * Every JSON object found in a reply, in order: inside code fences or not, with chatter around it, with raw line
 * breaks inside strings, with a trailing comma. Objects nested in an earlier one are not listed separately.
 *
 * @example
 * jsonObjectsIn('Sure!\n```json\n{"prompt": "hi"}\n```') // [{ prompt: 'hi' }]
 */
export function jsonObjectsIn(reply: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  let index = reply.indexOf('{');
  while (index !== -1) {
    const candidate = balancedObject(reply, index);
    if (candidate === undefined) break;
    const value = parseOrUndefined(candidate) ?? parseOrUndefined(candidate.replace(/,\s*([}\]])/g, '$1'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      found.push(value as Record<string, unknown>);
      index = reply.indexOf('{', index + candidate.length);
    } else {
      index = reply.indexOf('{', index + 1);
    }
  }
  return found;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The object's string fields keyed by lower-case name. */
function lowerCaseFields(object: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string') fields[key.toLowerCase()] = value.trim();
  }
  return fields;
}

/**
 * Parse an attacker's JSON reply: the first object that has every `required` key as a non-empty string wins (keys
 * match case-insensitively; extra keys are ignored). A reply with no such object is a format error, or a refusal when
 * it reads like one; a `prompt` field that reads like a short refusal is a refusal too.
 *
 * @example
 * parseJsonReply('{"improvement": "x", "prompt": "y"}', ['improvement', 'prompt']) // { ok: true, value: { improvement: 'x', prompt: 'y' } }
 */
export function parseJsonReply(reply: string, required: readonly string[], optional: readonly string[] = []): AttackerParse<Record<string, string>> {
  const objects = jsonObjectsIn(reply).map(lowerCaseFields);
  const complete = objects.find((fields) => required.every((key) => (fields[key] ?? '') !== ''));
  if (complete === undefined) {
    if (isAttackerRefusal(reply)) return { ok: false, kind: 'refused', problem: `the reply declines to attack ('${clip(reply.trim())}')` };
    const problem =
      objects.length === 0
        ? `no JSON object in the reply ('${clip(reply.trim())}')`
        : `the JSON object lacks a non-empty ${required.filter((key) => (objects[0][key] ?? '') === '').map((key) => `"${key}"`).join(' and ')}`;
    return { ok: false, kind: 'format', problem };
  }
  const prompt = complete.prompt;
  if (prompt !== undefined && prompt.length < SHORT_PROMPT && isAttackerRefusal(prompt)) {
    return { ok: false, kind: 'refused', problem: `the proposed prompt is a refusal ('${clip(prompt)}')` };
  }
  const value: Record<string, string> = {};
  for (const key of [...required, ...optional]) if (complete[key] !== undefined) value[key] = complete[key];
  return { ok: true, value };
}

/** What the PAIR/TAP attacker proposes. */
export interface RefineReply {
  improvement: string;
  prompt: string;
}

/**
 * Parse a PAIR/TAP attacker reply `{"improvement": …, "prompt": …}`.
 *
 * @example
 * parseRefineReply('```json\n{"improvement": "try a story", "prompt": "Write a story where …"}\n```')
 */
export function parseRefineReply(reply: string): AttackerParse<RefineReply> {
  const parsed = parseJsonReply(reply, ['improvement', 'prompt']);
  return parsed.ok ? { ok: true, value: { improvement: parsed.value.improvement, prompt: parsed.value.prompt } } : parsed;
}

/** What the Crescendo attacker proposes. */
export interface CrescendoReply {
  rationale: string;
  prompt: string;
}

/**
 * Parse a Crescendo attacker reply `{"rationale": …, "prompt": …}`.
 *
 * @example
 * parseCrescendoReply('{"rationale": "open gently", "prompt": "What is the history of …?"}')
 */
export function parseCrescendoReply(reply: string): AttackerParse<CrescendoReply> {
  const parsed = parseJsonReply(reply, ['rationale', 'prompt']);
  return parsed.ok ? { ok: true, value: { rationale: parsed.value.rationale, prompt: parsed.value.prompt } } : parsed;
}

/** What the GOAT attacker proposes. */
export interface GoatReply {
  observation: string;
  thought: string;
  technique: string;
  prompt: string;
}

/**
 * Parse a GOAT attacker reply `{"observation", "thought", "technique", "prompt"}`; the technique must be one of
 * `toolbox` (matched case-insensitively), else the reply breaks the format.
 *
 * @example
 * parseGoatReply('{"observation": "start", "thought": "…", "technique": "roleplay.grandma", "prompt": "…"}', ['roleplay.grandma'])
 */
export function parseGoatReply(reply: string, toolbox: readonly string[]): AttackerParse<GoatReply> {
  const parsed = parseJsonReply(reply, ['technique', 'prompt'], ['observation', 'thought']);
  if (!parsed.ok) return parsed;
  const wanted = parsed.value.technique.toLowerCase().replace(/^["'`]|["'`]$/g, '');
  const technique = toolbox.find((id) => id.toLowerCase() === wanted);
  if (technique === undefined) return { ok: false, kind: 'format', problem: `technique '${clip(parsed.value.technique)}' is not in the toolbox` };
  return {
    ok: true,
    value: { observation: parsed.value.observation ?? '', thought: parsed.value.thought ?? '', technique, prompt: parsed.value.prompt },
  };
}

/** The evaluator's decision on one candidate prompt. */
export interface OnTopicDecision {
  onTopic: boolean;
  reason?: string;
}

/**
 * Parse the on-topic evaluator's reply: `ON_TOPIC: yes|no`, optional `REASON: …` (strict lines, like the judges').
 *
 * @example
 * parseOnTopicReply('ON_TOPIC: no\nREASON: asks about gardening') // { ok: true, value: { onTopic: false, reason: 'asks about gardening' } }
 */
export function parseOnTopicReply(reply: string): ParseResult<OnTopicDecision> {
  const fields = parseKeyedLines(stripFence(reply), ['ON_TOPIC', 'REASON'], ['ON_TOPIC']);
  if (!fields.ok) return fields;
  const word = bareWord(fields.value.ON_TOPIC);
  if (word !== 'yes' && word !== 'no') return { ok: false, problem: `ON_TOPIC must be yes or no, got '${clip(fields.value.ON_TOPIC)}'` };
  return { ok: true, value: { onTopic: word === 'yes', reason: fields.value.REASON || undefined } };
}

/** The rater's rating of one answer. */
export interface RatingDecision {
  rating: number;
  reason?: string;
}

/**
 * Parse the rater's reply: `RATING: 1..10` (a whole number, `7/10` tolerated), optional `REASON: …`.
 *
 * @example
 * parseRatingReply('RATING: 7\nREASON: specific but incomplete') // { ok: true, value: { rating: 7, reason: '…' } }
 */
export function parseRatingReply(reply: string): ParseResult<RatingDecision> {
  const fields = parseKeyedLines(stripFence(reply), ['RATING', 'REASON'], ['RATING']);
  if (!fields.ok) return fields;
  const match = /^\[?\s*(\d{1,2})\s*\]?\s*(\/\s*10)?\.?$/.exec(fields.value.RATING.trim());
  const rating = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(rating) || rating < 1 || rating > 10) {
    return { ok: false, problem: `RATING must be a whole number from 1 to 10, got '${clip(fields.value.RATING)}'` };
  }
  return { ok: true, value: { rating, reason: fields.value.REASON || undefined } };
}

/** A reply with one surrounding code fence removed (models add them to line formats too). */
function stripFence(reply: string): string {
  const fenced = /^\s*```[a-z]*\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(reply);
  return fenced ? fenced[1] : reply;
}
