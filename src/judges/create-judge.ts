import type { Judge } from '../spec/judge.js';
import type { JudgeContext } from '../spec/judge-kind.js';
import { ConfigError } from '../spec/errors.js';
import { judgeRegistry } from './registry.js';

/**
 * Build a judge from a spec `KIND` or `KIND:ARGUMENT` (the argument may itself contain colons).
 *
 * @example
 * createJudge('llm:sim', context)
 */
export function createJudge(spec: string, context: JudgeContext): Judge {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? spec : spec.slice(0, colon);
  const argument = colon === -1 ? undefined : spec.slice(colon + 1);
  if (!judgeRegistry.has(kind)) {
    throw new ConfigError(`unknown judge '${kind}'; known: ${judgeRegistry.keys().join(', ')}`, { field: 'judge' });
  }
  const judgeKind = judgeRegistry.get(kind);
  if (judgeKind.needsTarget && !argument) {
    throw new ConfigError(`judge '${kind}' needs a target: '${kind}:TARGET-SPEC' (e.g. '${kind}:sim')`, { field: 'judge' });
  }
  return judgeKind.create(argument, context);
}
