import type { Judge } from '../spec/judge.js';
import type { JudgeContext } from '../spec/judge-kind.js';
import type { Target } from '../spec/target.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../util/paths.js';
import { sha256 } from '../util/hash.js';
import { createJudge } from './create-judge.js';

/** A judge context that also remembers the identities of the targets its judges were built with. */
export interface RecordingJudgeContext extends JudgeContext {
  /** Identities of every target resolved so far, in order (part of the verdict cache key). */
  readonly targetIdentities: string[];
  /** The targets resolved so far, in order (the run records them as its judge models). */
  readonly targets: Target[];
}

/**
 * A JudgeContext over a target factory: judges resolve other judges through `createJudge` (cascade stages) and
 * targets through `resolveTarget`, and the context records each target's identity so that callers can key
 * cached verdicts by what the judge really calls.
 *
 * @example
 * const context = createJudgeContext((spec) => createTarget(spec));
 * const judge = createJudge('cascade:refusal>llm:sim', context); // context.targetIdentities → ['sim:…']
 */
export function createJudgeContext(resolveTarget: (spec: string) => Target): RecordingJudgeContext {
  const targetIdentities: string[] = [];
  const targets: Target[] = [];
  const context: RecordingJudgeContext = {
    targetIdentities,
    targets,
    resolveTarget(spec: string): Target {
      const target = resolveTarget(spec);
      targetIdentities.push(target.identity);
      targets.push(target);
      return target;
    },
    resolveJudge(spec: string): Judge {
      return createJudge(spec, context);
    },
  };
  return context;
}

let fingerprint: string | undefined;

/**
 * A hash of everything under `data/judges/` (prompt templates, category lists, offline cues and weights), read once:
 * editing a prompt must not serve verdicts that the old prompt produced.
 *
 * @example
 * judgeDataFingerprint() // 'a1b2c3d4e5f6'
 */
export function judgeDataFingerprint(): string {
  if (fingerprint === undefined) {
    const root = dataPath('judges');
    const files = (readdirSync(root, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath?: string; path?: string; isFile(): boolean }>)
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath ?? entry.path ?? root, entry.name))
      .sort();
    fingerprint = sha256(files.map((file) => `${file.slice(root.length)}\n${readFileSync(file, 'utf8')}`).join('\n'), 12);
  }
  return fingerprint;
}

/**
 * What makes verdicts of a judge reusable: its spec, the identities of the targets it calls, and the judge data
 * (prompts) it was built from.
 *
 * @example
 * judgeCacheIdentity('llm:sim', context) // 'llm:sim|sim:seed=0|data:a1b2c3d4e5f6'
 */
export function judgeCacheIdentity(spec: string, context: RecordingJudgeContext): string {
  return [spec, ...context.targetIdentities, `data:${judgeDataFingerprint()}`].join('|');
}
