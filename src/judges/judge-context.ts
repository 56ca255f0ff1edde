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
  /** The target specs resolved so far, in order (as written in the judge spec: `judgeIdentity` replaces them). */
  readonly targetSpecs: string[];
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
  const targetSpecs: string[] = [];
  const targets: Target[] = [];
  const context: RecordingJudgeContext = {
    targetIdentities,
    targetSpecs,
    targets,
    resolveTarget(spec: string): Target {
      const target = resolveTarget(spec);
      targetIdentities.push(target.identity);
      targetSpecs.push(spec);
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
 * A judge's identity: its spec with every model it calls written as that model's identity (name, model, sampling
 * settings), not as the spec that reached it, so a judge server that moves (new port, new host) is the same judge,
 * and a named judge model (`llm:@judge`) whose settings change is not. Offline judges are their spec.
 *
 * @example
 * judgeIdentity('llm:openai:base-url=http://127.0.0.1:8001/v1,model=judge', context) // 'llm:{openai:…model=judge…}'
 */
export function judgeIdentity(spec: string, context: Pick<RecordingJudgeContext, 'targetSpecs' | 'targetIdentities'>): string {
  let identity = spec;
  let cursor = 0;
  const unplaced: string[] = [];
  context.targetSpecs.forEach((targetSpec, index) => {
    // A target spec follows its judge kind's colon (`llm:SPEC`, `cascade:refusal>strongreject:SPEC`).
    const at = identity.indexOf(`:${targetSpec}`, cursor);
    const written = `{${context.targetIdentities[index]}}`;
    if (at < 0) {
      unplaced.push(written);
      return;
    }
    identity = `${identity.slice(0, at + 1)}${written}${identity.slice(at + 1 + targetSpec.length)}`;
    cursor = at + 1 + written.length;
  });
  return [identity, ...unplaced].join('|');
}

/**
 * What makes verdicts of a judge reusable: its identity (`judgeIdentity`: the spec with its models' identities, not
 * their base URLs) and the judge data (prompts) it was built from.
 *
 * @example
 * judgeCacheIdentity('llm:sim', context) // 'llm:{sim:seed=0}|data:a1b2c3d4e5f6'
 */
export function judgeCacheIdentity(spec: string, context: Pick<RecordingJudgeContext, 'targetSpecs' | 'targetIdentities'>): string {
  return `${judgeIdentity(spec, context)}|data:${judgeDataFingerprint()}`;
}
