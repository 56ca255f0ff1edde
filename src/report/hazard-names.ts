/**
 * Hazard id → display name from the default taxonomy (src/taxonomy/taxonomy.ts), in taxonomy order. Returns an
 * empty map when the taxonomy module is not available, in which case reports show ids.
 *
 * @example
 * (await hazardNames()).vcr // 'Violent Crimes'
 */
export async function hazardNames(): Promise<Record<string, string>> {
  // The specifier is a variable so this compiles before the taxonomy module lands; the loader is tried once.
  const specifier = '../taxonomy/taxonomy.js';
  try {
    const module = (await import(specifier)) as { defaultTaxonomy?: () => { hazards: Array<{ id: string; name: string }> } };
    const taxonomy = module.defaultTaxonomy?.();
    return Object.fromEntries((taxonomy?.hazards ?? []).map((hazard) => [hazard.id, hazard.name]));
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return {};
    throw error;
  }
}
