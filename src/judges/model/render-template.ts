import { readFileSync } from 'node:fs';
import { RedcardError } from '../../spec/errors.js';
import { dataPath } from '../../util/paths.js';

const templates = new Map<string, string>();

/**
 * A judge prompt template from `data/judges/prompts/NAME.txt`, read once.
 *
 * @example
 * loadTemplate('llm-harmful')
 */
export function loadTemplate(name: string): string {
  let template = templates.get(name);
  if (template === undefined) {
    template = readFileSync(dataPath('judges', 'prompts', `${name}.txt`), 'utf8');
    templates.set(name, template);
  }
  return template;
}

/**
 * Fill `{{key}}` placeholders in one pass, so that text inserted for one placeholder (model output) is never
 * itself expanded. A placeholder without a value is a programming error.
 *
 * @example
 * renderTemplate('Hi {{name}}', { name: 'x' }) // 'Hi x'
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([a-zA-Z]+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new RedcardError('template', `judge template placeholder '{{${key}}}' has no value`);
    return value;
  });
}
