import { ConfigError } from '../spec/errors.js';

/** How a row holds a conversation. */
export type Layout = 'sharegpt' | 'alpaca' | 'messages';

/** One message of a row, in order. */
export interface RowMessage {
  role: 'system' | 'user' | 'assistant' | 'other';
  text: string;
}

/**
 * Field names of the layouts (the keys `--map` sets): `conversations`/`from`/`value` (ShareGPT), `messages`/`role`/
 * `content` (OpenAI messages), `instruction`/`input`/`output`/`system` (Alpaca), plus `id` and `source` on any row.
 */
export interface FieldMap {
  conversations: string;
  from: string;
  value: string;
  messages: string;
  role: string;
  content: string;
  instruction: string;
  input: string;
  output: string;
  system: string;
  id: string;
  source: string;
}

export const DEFAULT_FIELDS: FieldMap = {
  conversations: 'conversations',
  from: 'from',
  value: 'value',
  messages: 'messages',
  role: 'role',
  content: 'content',
  instruction: 'instruction',
  input: 'input',
  output: 'output',
  system: 'system',
  id: 'id',
  source: 'source',
};

/** Alpaca datasets that name the answer otherwise (GPTeacher: `response`); tried when `output` is absent and not mapped. */
const OUTPUT_ALIASES = ['output', 'response', 'completion'];

/**
 * A field map from `--map key=field,key=field` (repeatable); unknown keys are a ConfigError listing the valid ones.
 *
 * @example
 * parseFieldMap(['instruction=question,output=answer']).output // 'answer'
 */
export function parseFieldMap(specs: readonly string[]): { fields: FieldMap; mapped: Set<keyof FieldMap> } {
  const fields = { ...DEFAULT_FIELDS };
  const mapped = new Set<keyof FieldMap>();
  for (const entry of specs.flatMap((spec) => spec.split(',')).map((part) => part.trim()).filter(Boolean)) {
    const equals = entry.indexOf('=');
    const key = entry.slice(0, equals).trim();
    const value = entry.slice(equals + 1).trim();
    if (equals <= 0 || value === '') throw new ConfigError(`expected KEY=FIELD, got '${entry}'`, { field: '--map' });
    if (!(key in DEFAULT_FIELDS)) throw new ConfigError(`unknown key '${key}' (known: ${Object.keys(DEFAULT_FIELDS).join(', ')})`, { field: '--map' });
    fields[key as keyof FieldMap] = value;
    mapped.add(key as keyof FieldMap);
  }
  return { fields, mapped };
}

const ASSISTANT_ROLES = new Set(['gpt', 'assistant', 'chatgpt', 'bing', 'bard', 'model', 'bot', 'ai', 'claude', 'gpt-4', 'gpt4']);
const USER_ROLES = new Set(['human', 'user', 'prompter', 'person']);

/** A speaker name as a role (ShareGPT `from`, OpenAI `role`). */
export function roleOf(speaker: unknown): RowMessage['role'] {
  if (typeof speaker !== 'string') return 'other';
  const name = speaker.trim().toLowerCase();
  if (ASSISTANT_ROLES.has(name)) return 'assistant';
  if (USER_ROLES.has(name)) return 'user';
  return name === 'system' ? 'system' : 'other';
}

/** Text of an OpenAI-style content: a string, or an array of parts whose `text` is joined. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '')).join('');
  return content === null ? '' : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The layout of a row from its fields (ShareGPT `conversations`, OpenAI `messages`, Alpaca `instruction` + output),
 * or undefined.
 *
 * @example
 * detectLayout({ instruction: 'Hi', output: 'Hello' }, DEFAULT_FIELDS) // 'alpaca'
 */
export function detectLayout(row: unknown, fields: FieldMap): Layout | undefined {
  if (!isObject(row)) return undefined;
  if (Array.isArray(row[fields.conversations])) return 'sharegpt';
  if (Array.isArray(row[fields.messages])) return 'messages';
  if (typeof row[fields.instruction] === 'string') return 'alpaca';
  return undefined;
}

/** The name of the Alpaca answer field of a row. */
function outputField(row: Record<string, unknown>, fields: FieldMap, mapped: Set<keyof FieldMap>): string | undefined {
  if (mapped.has('output')) return fields.output;
  return OUTPUT_ALIASES.find((name) => typeof row[name] === 'string');
}

/**
 * The messages of a row in a layout, or a reason why the row is malformed. For ShareGPT and messages rows, message i
 * is element i of the row's list; an Alpaca row is a user message (instruction, a blank line, input) and an
 * assistant message (the output), after a system message when the row has one.
 *
 * @example
 * rowMessages({ conversations: [{ from: 'human', value: 'Hi' }, { from: 'gpt', value: 'Hello' }] }, 'sharegpt', DEFAULT_FIELDS, new Set())
 */
export function rowMessages(row: unknown, layout: Layout, fields: FieldMap, mapped: Set<keyof FieldMap>): RowMessage[] | string {
  if (!isObject(row)) return 'expected a JSON object';
  if (layout === 'alpaca') {
    const instruction = row[fields.instruction];
    if (typeof instruction !== 'string') return `missing '${fields.instruction}' (string)`;
    const output = outputField(row, fields, mapped);
    if (output === undefined || typeof row[output] !== 'string') return `missing '${mapped.has('output') ? fields.output : OUTPUT_ALIASES.join("' or '")}' (string)`;
    const input = row[fields.input];
    const system = row[fields.system];
    const messages: RowMessage[] = [];
    if (typeof system === 'string' && system.trim() !== '') messages.push({ role: 'system', text: system });
    messages.push({ role: 'user', text: typeof input === 'string' && input.trim() !== '' ? `${instruction}\n\n${input}` : instruction });
    messages.push({ role: 'assistant', text: row[output] as string });
    return messages;
  }
  const listField = layout === 'sharegpt' ? fields.conversations : fields.messages;
  const speakerField = layout === 'sharegpt' ? fields.from : fields.role;
  const textField = layout === 'sharegpt' ? fields.value : fields.content;
  const list = row[listField];
  if (!Array.isArray(list)) return `missing '${listField}' (a list of messages)`;
  const messages: RowMessage[] = [];
  for (let index = 0; index < list.length; index += 1) {
    const entry = list[index];
    if (!isObject(entry)) return `${listField}[${index}] is not an object`;
    const text = contentText(entry[textField]);
    if (text === undefined) return `${listField}[${index}].${textField} must be a string`;
    messages.push({ role: roleOf(entry[speakerField]), text });
  }
  return messages;
}

/**
 * A copy of a row that keeps only its first `keep` messages (ShareGPT and messages rows), or null when nothing usable
 * is left (fewer than two messages, or an Alpaca row, whose single answer is its only assistant message).
 *
 * @example
 * truncateRow(row, 'sharegpt', DEFAULT_FIELDS, 2) // the row with its first exchange only
 */
export function truncateRow(row: Record<string, unknown>, layout: Layout, fields: FieldMap, keep: number): Record<string, unknown> | null {
  if (layout === 'alpaca') return null;
  const listField = layout === 'sharegpt' ? fields.conversations : fields.messages;
  const list = row[listField] as unknown[];
  if (keep < 2) return null;
  return { ...row, [listField]: list.slice(0, keep) };
}

/**
 * The row's own id (`id` field, or the mapped one) as a string, else its 0-based index in the file.
 *
 * @example
 * rowId({ id: 'abc' }, 7, DEFAULT_FIELDS) // 'abc'
 */
export function rowId(row: unknown, index: number, fields: FieldMap): string | number {
  if (isObject(row)) {
    const id = row[fields.id];
    if (typeof id === 'string' && id !== '') return id;
    if (typeof id === 'number' || typeof id === 'bigint') return String(id);
  }
  return index;
}
