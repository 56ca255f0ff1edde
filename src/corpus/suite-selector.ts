import type { Behavior } from '../spec/behavior.js';
import { ConfigError } from '../spec/errors.js';

const KINDS = ['harmful', 'benign'] as const;

/**
 * The behaviors a built-in suite selector picks, in file order. A selector is one or more terms joined by `+`;
 * a term is `harmful`, `benign`, `HAZARD`, `HAZARD:harmful` or `HAZARD:benign`, where HAZARD is a category present
 * in the suite. No selector (or an empty one) picks everything. Terms are unioned.
 *
 * @throws ConfigError listing the valid selectors when a term is unknown.
 * @example
 * selectBehaviors('core', behaviors, 'vcr:benign+ssh') // benign violent-crime twins, and all of ssh
 */
export function selectBehaviors(suiteId: string, behaviors: readonly Behavior[], selector: string | undefined): Behavior[] {
  if (selector === undefined || selector.trim() === '') return [...behaviors];
  const hazards = new Set(behaviors.map((behavior) => behavior.category));
  const predicates = selector.split('+').map((term) => termPredicate(suiteId, term.trim(), hazards));
  return behaviors.filter((behavior) => predicates.some((predicate) => predicate(behavior)));
}

/**
 * Every selector form a suite accepts, for messages and `list suites`.
 *
 * @example
 * validSelectors('core', ['vcr']) // ['core', 'core:harmful', 'core:benign', 'core:vcr', 'core:vcr:harmful', 'core:vcr:benign']
 */
export function validSelectors(suiteId: string, hazards: Iterable<string>): string[] {
  const forms = [suiteId, ...KINDS.map((kind) => `${suiteId}:${kind}`)];
  for (const hazard of [...new Set(hazards)].sort()) {
    forms.push(`${suiteId}:${hazard}`, ...KINDS.map((kind) => `${suiteId}:${hazard}:${kind}`));
  }
  return forms;
}

function termPredicate(suiteId: string, term: string, hazards: Set<string>): (behavior: Behavior) => boolean {
  const parts = term.split(':');
  if (parts.length === 1 && isKind(parts[0])) return byKind(parts[0]);
  if (parts.length === 1 && hazards.has(parts[0])) return (behavior) => behavior.category === parts[0];
  if (parts.length === 2 && hazards.has(parts[0]) && isKind(parts[1])) {
    const kind = byKind(parts[1]);
    return (behavior) => behavior.category === parts[0] && kind(behavior);
  }
  throw new ConfigError(
    `unknown selector '${term}' for suite '${suiteId}'; valid: ${validSelectors(suiteId, hazards).join(', ')} ` +
      `(join several with '+', e.g. '${suiteId}:vcr+ssh:benign')`,
    { field: 'suite' },
  );
}

function isKind(word: string): boolean {
  return (KINDS as readonly string[]).includes(word);
}

function byKind(kind: string): (behavior: Behavior) => boolean {
  return kind === 'benign' ? (behavior) => behavior.benign : (behavior) => !behavior.benign;
}
