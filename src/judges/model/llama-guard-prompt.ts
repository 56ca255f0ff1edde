import { readFileSync } from 'node:fs';
import { dataPath } from '../../util/paths.js';
import type { ParseResult } from './ask-judge-model.js';
import { clip } from './parse-keyed-lines.js';
import { loadTemplate, renderTemplate } from './render-template.js';

/** One Llama Guard 3 hazard category. */
export interface LlamaGuardCategory {
  code: string;
  name: string;
}

let categories: LlamaGuardCategory[] | undefined;

/**
 * The Llama Guard 3 categories S1–S14 from `data/judges/llama-guard-3-categories.json`.
 *
 * @example
 * llamaGuardCategories()[0] // { code: 'S1', name: 'Violent Crimes' }
 */
export function llamaGuardCategories(): LlamaGuardCategory[] {
  categories ??= (JSON.parse(readFileSync(dataPath('judges', 'llama-guard-3-categories.json'), 'utf8')) as { categories: LlamaGuardCategory[] }).categories;
  return categories;
}

/**
 * The user-turn content of Llama Guard 3's conversation-classification prompt (the model card's format), for servers
 * that do not apply Llama Guard's chat template. The special tokens around it (`<|begin_of_text|>`, headers,
 * `<|eot_id|>`) are left to the server's generic chat template, since our targets speak chat only.
 *
 * @example
 * buildLlamaGuardPrompt('How do I …?', 'I cannot help with that.')
 */
export function buildLlamaGuardPrompt(user: string, agent: string): string {
  const list = llamaGuardCategories().map((category) => `${category.code}: ${category.name}.`).join('\n');
  return renderTemplate(loadTemplate('llama-guard-3'), { categories: list, user, agent }).trimEnd();
}

/** Llama Guard's assessment. */
export type LlamaGuardAssessment = { safe: true } | { safe: false; codes: string[] };

/**
 * Parse Llama Guard's reply: `safe` alone, or `unsafe` then a line of comma-separated known codes (e.g. `S1,S9`).
 * Anything else (prose, an unknown code, `unsafe` without codes) is unparseable.
 *
 * @example
 * parseLlamaGuardReply('unsafe\nS9') // { ok: true, value: { safe: false, codes: ['S9'] } }
 */
export function parseLlamaGuardReply(reply: string): ParseResult<LlamaGuardAssessment> {
  const lines = reply.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const first = lines[0]?.toLowerCase();
  if (first === 'safe') {
    return lines.length === 1 ? { ok: true, value: { safe: true } } : { ok: false, problem: "'safe' followed by more lines" };
  }
  if (first !== 'unsafe') return { ok: false, problem: `first line must be 'safe' or 'unsafe', got '${clip(lines[0] ?? '')}'` };
  if (lines.length !== 2) return { ok: false, problem: `'unsafe' must be followed by exactly one line of categories (got ${lines.length - 1})` };
  const known = new Set(llamaGuardCategories().map((category) => category.code));
  const codes = lines[1].split(',').map((code) => code.trim().toUpperCase());
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) return { ok: false, problem: `unknown category code(s) '${clip(unknown.join(','))}'` };
  return { ok: true, value: { safe: false, codes: [...new Set(codes)] } };
}
