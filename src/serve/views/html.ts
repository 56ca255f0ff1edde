import { escapeHtml } from '../../report/escape-html.js';

/** Markup that is already safe: built by `html`, never from untrusted text directly. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Escape-by-default HTML templates: every interpolated string goes through `escapeHtml` (the one escape function the
 * reports use); nested `html` results and arrays of them are kept as markup. Attributes must be quoted.
 *
 * @example
 * html`<p title="${modelText}">${modelText}</p>` // both escaped
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  for (let index = 0; index < values.length; index += 1) out += render(values[index]) + strings[index + 1];
  return new SafeHtml(out);
}

/**
 * Trusted markup produced by our own code (the embedded report is served separately, never through this).
 *
 * @example
 * trusted('<svg …>') // only for markup built from escaped parts
 */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
