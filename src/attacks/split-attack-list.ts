/**
 * True when an `--attacks` entry names a strategy (`strategy.NAME`, optionally with `:settings`).
 *
 * @example
 * isStrategySpec('strategy.pair:streams=2') // true; isStrategySpec('roleplay.grandma') // false
 */
export function isStrategySpec(spec: string): boolean {
  return /^strategy\.[a-z0-9-]+(:|$)/.test(spec.trim());
}

/**
 * Split an `--attacks` list on commas, keeping a strategy's `key=value` settings with it (the one splitter: the CLI,
 * config lists and `resolveAttackChains` all use it):
 * `direct,strategy.pair:streams=20,iterations=3` → `direct`, `strategy.pair:streams=20,iterations=3`.
 *
 * @example
 * splitAttackList('direct,strategy.pair:streams=2,iterations=1,roleplay.grandma') // ['direct', 'strategy.pair:streams=2,iterations=1', 'roleplay.grandma']
 */
export function splitAttackList(list: string): string[] {
  const entries: string[] = [];
  for (const part of list.split(',').map((entry) => entry.trim()).filter(Boolean)) {
    const previous = entries.at(-1);
    if (previous !== undefined && isStrategySpec(previous) && /^[A-Za-z][\w-]*=/.test(part)) entries[entries.length - 1] = `${previous}${previous.includes(':') ? ',' : ':'}${part}`;
    else entries.push(part);
  }
  return entries;
}
