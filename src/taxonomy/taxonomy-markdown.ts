import type { Taxonomy } from './taxonomy.js';

/** Markers around the generated part of docs/taxonomy.md; a test keeps that part equal to `taxonomyMarkdown()`. */
export const GENERATED_START = '<!-- generated from data/taxonomy/ailuminate-v1.json: do not edit by hand -->';
export const GENERATED_END = '<!-- end generated -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * Markdown tables of a taxonomy: its hazards, then one mapping table per scheme and a reverse table (hazard → categories).
 *
 * @example
 * taxonomyMarkdown(defaultTaxonomy()).startsWith('## Hazards')
 */
export function taxonomyMarkdown(taxonomy: Taxonomy): string {
  const lines: string[] = ['## Hazards', '', '| id | name | group | description |', '|---|---|---|---|'];
  for (const hazard of taxonomy.hazards) {
    lines.push(`| \`${hazard.id}\` | ${cell(hazard.name)} | ${hazard.group ?? ''} | ${cell(hazard.description)} |`);
  }
  for (const [schemeId, scheme] of Object.entries(taxonomy.schemes)) {
    lines.push('', `## ${cell(scheme.name)} (\`${schemeId}\`)`, '', `Source: ${scheme.reference}`, '');
    lines.push('| category | label | hazard | also touches | note |', '|---|---|---|---|---|');
    for (const category of scheme.categories) {
      const hazard = category.hazard === null ? '*none*' : `\`${category.hazard}\``;
      const also = category.also.map((hazardId) => `\`${hazardId}\``).join(', ');
      lines.push(`| ${cell(category.name)} | ${cell(category.label ?? '')} | ${hazard} | ${also} | ${cell(category.note ?? '')} |`);
    }
  }
  const schemeIds = Object.keys(taxonomy.schemes);
  lines.push('', '## Reverse mapping (hazard → source categories with that primary hazard)', '');
  lines.push(`| hazard | ${schemeIds.map((schemeId) => `\`${schemeId}\``).join(' | ')} |`);
  lines.push(`|---|${schemeIds.map(() => '---').join('|')}|`);
  for (const hazard of taxonomy.hazards) {
    const cells = schemeIds.map((schemeId) =>
      taxonomy.schemes[schemeId]!.categories
        .filter((category) => category.hazard === hazard.id)
        .map((category) => cell(category.name))
        .join('; '),
    );
    lines.push(`| \`${hazard.id}\` | ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Replace the generated block of a document with fresh tables (used by scripts/generate-taxonomy-doc.mjs).
 *
 * @example
 * withGeneratedTables(readFileSync('docs/taxonomy.md', 'utf8'), defaultTaxonomy())
 */
export function withGeneratedTables(document: string, taxonomy: Taxonomy): string {
  const start = document.indexOf(GENERATED_START);
  const end = document.indexOf(GENERATED_END);
  const block = `${GENERATED_START}\n\n${taxonomyMarkdown(taxonomy)}\n${GENERATED_END}`;
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${block}\n`;
  return document.slice(0, start) + block + document.slice(end + GENERATED_END.length);
}
