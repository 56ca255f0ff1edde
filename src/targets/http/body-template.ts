import { ConfigError } from '../../spec/errors.js';
import type { Message } from '../../spec/message.js';

/** What a template can say: the last user message, the whole conversation, the system prompt, the session id. */
export const TEMPLATE_PLACEHOLDERS = ['prompt', 'messages', 'system', 'session'] as const;
export type PlaceholderName = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** The values placeholders stand for in one request. `system` and `session` are null when there is none (yet). */
export interface TemplateVariables {
  prompt: string;
  messages: Message[];
  system: string | null;
  session: string | null;
}

type Part = string | { name: PlaceholderName; inString: boolean };

/** A compiled template: the placeholders it uses and `render(variables)` that fills them in. */
export interface CompiledTemplate {
  readonly uses: ReadonlySet<PlaceholderName>;
  render(variables: TemplateVariables): string;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Split a template into literal text and placeholders; `inString` says whether one sits inside a JSON string. */
function parseParts(template: string, field: string, allowed: readonly PlaceholderName[], trackStrings: boolean): Part[] {
  const parts: Part[] = [];
  let last = 0;
  let inString = false;
  let scanned = 0;
  const advance = (to: number): void => {
    if (!trackStrings) return;
    for (let position = scanned; position < to; position += 1) {
      if (template[position] === '\\' && inString) position += 1;
      else if (template[position] === '"') inString = !inString;
    }
    scanned = to;
  };
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!(allowed as readonly string[]).includes(name)) {
      const known = allowed.map((item) => `{{${item}}}`).join(', ');
      throw new ConfigError(`unknown placeholder '{{${name}}}' at character ${match.index + 1}; known here: ${known}`, { field });
    }
    advance(match.index);
    if (match.index > last) parts.push(template.slice(last, match.index));
    parts.push({ name: name as PlaceholderName, inString });
    last = match.index + match[0].length;
    scanned = last;
  }
  if (last < template.length) parts.push(template.slice(last));
  const unclosed = /\{\{\s*[A-Za-z_][\w.-]*/.exec(template.replace(PLACEHOLDER, (match) => ' '.repeat(match.length)));
  if (unclosed !== null) {
    throw new ConfigError(`unclosed placeholder '${unclosed[0]}' at character ${unclosed.index + 1} (placeholders look like {{prompt}})`, { field });
  }
  return parts;
}

function placeholderValue(name: PlaceholderName, variables: TemplateVariables): unknown {
  return name === 'messages' ? variables.messages.map((message) => ({ role: message.role, content: message.content })) : variables[name];
}

function render(parts: readonly Part[], variables: TemplateVariables, encode: (value: unknown, inString: boolean) => string): string {
  let text = '';
  for (const part of parts) text += typeof part === 'string' ? part : encode(placeholderValue(part.name, variables), part.inString);
  return text;
}

/** A placeholder's value in JSON: inside a JSON string its escaped text, elsewhere a JSON value. */
function encodeJson(value: unknown, inString: boolean): string {
  if (!inString) return JSON.stringify(value);
  if (value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}

/** Values with quotes, backslashes, line breaks and non-ASCII, to check a template yields valid JSON for any input. */
const SAMPLES: TemplateVariables[] = [
  { prompt: 'say "hi"\\ \n\t\u2028 é', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'a "b"\n' }], system: 'be "brief"', session: null },
  { prompt: '', messages: [], system: null, session: 'c-1"2' },
];

/**
 * Compile a JSON request-body template. It is JSON text (or an object, as a YAML config writes it) with placeholders
 * `{{prompt}}`, `{{messages}}`, `{{system}}` and `{{session}}`. Inside a JSON string a placeholder becomes its
 * JSON-escaped text (`"q": "{{prompt}}"`; `{{messages}}` there is the conversation as JSON text); elsewhere it becomes a
 * JSON value (`"messages": {{messages}}` is an array of `{role, content}`; `{{session}}` is a string or null). In an
 * object template a string that is exactly one placeholder becomes its JSON value. The template must use `{{prompt}}`
 * or `{{messages}}` and give valid JSON for any input; otherwise a ConfigError names `field`.
 *
 * @example
 * compileBodyTemplate('{"question": "{{prompt}}", "history": {{messages}}}', 'target.body')
 *   .render({ prompt: 'Hi "you"', messages: [{ role: 'user', content: 'Hi "you"' }], system: null, session: null })
 * // '{"question": "Hi \\"you\\"", "history": [{"role":"user","content":"Hi \\"you\\""}]}'
 */
export function compileBodyTemplate(template: string | Record<string, unknown> | unknown[], field: string): CompiledTemplate {
  const text = typeof template === 'string' ? template : JSON.stringify(template).replace(/"(\{\{\s*[a-z]+\s*\}\})"/g, '$1');
  const parts = parseParts(text, field, TEMPLATE_PLACEHOLDERS, true);
  const uses = new Set(parts.flatMap((part) => (typeof part === 'string' ? [] : [part.name])));
  if (!uses.has('prompt') && !uses.has('messages')) {
    throw new ConfigError('the body template must contain {{prompt}} or {{messages}} (else every request would be the same)', { field });
  }
  for (const sample of SAMPLES) {
    try {
      JSON.parse(render(parts, sample, encodeJson));
    } catch (error) {
      throw new ConfigError(`the body template is not valid JSON once filled in (${(error as Error).message}); put {{prompt}} inside quotes ("{{prompt}}") and {{messages}} outside`, { field });
    }
  }
  return { uses, render: (variables) => render(parts, variables, encodeJson) };
}

/**
 * Compile a text template for a URL (placeholders URL-encoded) or a header value (only `{{session}}`, inserted as is).
 *
 * @example
 * compileTextTemplate('http://app/chat/{{session}}', 'target.url', 'url').render(vars)
 */
export function compileTextTemplate(template: string, field: string, kind: 'url' | 'header'): CompiledTemplate {
  const allowed: readonly PlaceholderName[] = kind === 'url' ? TEMPLATE_PLACEHOLDERS : ['session'];
  const parts = parseParts(template, field, allowed, false);
  const uses = new Set(parts.flatMap((part) => (typeof part === 'string' ? [] : [part.name])));
  const encode = (value: unknown): string => {
    const text = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    return kind === 'url' ? encodeURIComponent(text) : text.replace(/[\u0000-\u001f\u007f]/g, '');
  };
  return { uses, render: (variables) => render(parts, variables, encode) };
}
