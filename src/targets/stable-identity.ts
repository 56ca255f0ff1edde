/**
 * A stable string for a plain value: JSON with object keys sorted and undefined fields dropped,
 * so that the same settings always give the same response-cache identity.
 *
 * @example
 * stableIdentity({ b: 1, a: 2 }) === stableIdentity({ a: 2, b: 1 }) // true
 */
export function stableIdentity(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}
