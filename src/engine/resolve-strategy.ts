import type { ResolvedStrategy } from '../attacks/chain.js';
import { parseStrategySpec } from '../attacks/strategies/parse-strategy-spec.js';

/**
 * Resolve a `strategy.NAME[:key=value,…]` attack spec through the strategy registry: its label (the spec as written,
 * normalised) is the attack's id in the plan and the record.
 *
 * @example
 * resolveRegisteredStrategy('strategy.pair:streams=2').params // { streams: 2, iterations: 3, … }
 */
export function resolveRegisteredStrategy(spec: string): ResolvedStrategy {
  const parsed = parseStrategySpec(spec);
  return { id: parsed.label, strategy: parsed.strategy as never, params: parsed.params };
}
