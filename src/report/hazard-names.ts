import { defaultTaxonomy } from '../taxonomy/taxonomy.js';

/**
 * Hazard id → display name from the default taxonomy, in taxonomy order (the order reports list hazards in).
 *
 * @example
 * hazardNames().vcr // 'Violent Crimes'
 */
export function hazardNames(): Record<string, string> {
  return Object.fromEntries(defaultTaxonomy().hazards.map((hazard) => [hazard.id, hazard.name]));
}
