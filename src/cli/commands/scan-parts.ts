import { resolveAttackChains, type AttackChain, type SkippedChain } from '../../attacks/chain.js';
import { loadSuites } from '../../corpus/load-suites.js';
import { createJudge } from '../../judges/create-judge.js';
import { createJudgeContext, judgeCacheIdentity, judgeIdentity } from '../../judges/judge-context.js';
import type { Behavior } from '../../spec/behavior.js';
import { ConfigError, TargetError } from '../../spec/errors.js';
import type { Judge } from '../../spec/judge.js';
import type { Target } from '../../spec/target.js';
import { createTarget } from '../../targets/create-target.js';
import { ModelCallLayer } from '../../models/model-call-layer.js';
import { resolveRegisteredStrategy } from '../../engine/resolve-strategy.js';
import { parseTargetSpec } from '../../targets/parse-target-spec.js';
import { writeLine, type CliIO } from '../command.js';
import { targetWithConcurrency, type SessionSettings } from './scan-session-settings.js';

/** Everything a scan is made of, built from its settings. */
export interface ScanParts {
  target: Target;
  judge: Judge;
  /** The models the judge calls (none for the offline judges). */
  judgeTargets: Target[];
  helper?: Target;
  /** Attacker and evaluator models for strategies. */
  attacker?: Target;
  evaluator?: Target;
  /** Rater model for the strategies' 1–10 rating (else derived from the verdict). */
  rater?: Target;
  /** The model-call layer every call goes through (its cache is the store, attached once it is open). */
  layer: ModelCallLayer;
  /** Set for model-backed judges: the verdict cache key prefix. */
  verdictCacheIdentity?: string;
  /** The judge's identity in the run's plan (its models by identity, not base URL; see judgeIdentity). */
  judgeIdentity: string;
  behaviors: Behavior[];
  chains: AttackChain[];
  skippedChains: SkippedChain[];
}

/**
 * Build the target, judge, helper, behaviors and attack chains of a scan; notes about the suites (skipped rows,
 * unmapped categories) and skipped chains go to stderr.
 *
 * @example
 * const parts = await buildScanParts(session, io);
 */
export async function buildScanParts(session: SessionSettings, io: CliIO, databasePath?: string): Promise<ScanParts> {
  const { settings } = session;
  const target = createTarget(targetWithConcurrency(session));
  const layer = new ModelCallLayer();
  const judgeTargets: Target[] = [];
  const context = createJudgeContext((spec) => {
    const judgeTarget = createTarget(parseTargetSpec(spec, settings.targets));
    judgeTargets.push(judgeTarget);
    return layer.client(judgeTarget, 'judge');
  });
  const judge = createJudge(settings.judge, context);
  // Model-backed judges get a verdict cache (the offline judge is faster than a cache lookup).
  const verdictCacheIdentity = context.targetIdentities.length > 0 ? judgeCacheIdentity(settings.judge, context) : undefined;
  const helper = settings.helper ? createTarget(parseTargetSpec(settings.helper, settings.targets)) : undefined;
  const attacker = settings.attacker ? createTarget(parseTargetSpec(settings.attacker, settings.targets)) : undefined;
  const evaluator = settings.evaluator ? createTarget(parseTargetSpec(settings.evaluator, settings.targets)) : undefined;
  const rater = settings.rater ? createTarget(parseTargetSpec(settings.rater, settings.targets)) : undefined;
  // Suites that read the store (community findings of `redcard serve`) read the scan's own store.
  const suites = await loadSuites(settings.suites, { lenient: settings.lenient, dbPath: databasePath });
  for (const note of suites.notes) {
    if (note.skipped > 0) writeLine(io.stderr, `warning: ${note.spec}: skipped ${note.skipped} malformed rows (--lenient)`);
    if (note.duplicates > 0) writeLine(io.stderr, `note: ${note.spec}: ${note.duplicates} behaviors already loaded by ${note.duplicateOf} (same id and text) are run once`);
    const unmapped = Object.entries(note.unmapped);
    if (unmapped.length > 0) {
      writeLine(io.stderr, `note: ${note.spec}: categories kept unmapped: ${unmapped.map(([name, count]) => `${name} (${count})`).join(', ')}`);
    }
  }
  if (suites.behaviors.length === 0) throw new ConfigError('the suites selected no behaviors', { field: 'suite' });
  const { chains, skipped } = resolveAttackChains(settings.attacks, {
    helperAvailable: helper !== undefined,
    attackerAvailable: attacker !== undefined,
    resolveStrategy: resolveRegisteredStrategy,
  });
  for (const entry of skipped) writeLine(io.stderr, `skipped attack ${entry.id}: ${entry.reason}`);
  if (chains.length === 0) throw new ConfigError('no attack chain can run (see the skipped ones above)', { field: 'attacks' });
  return { target, judge, judgeTargets, helper, attacker, evaluator, rater, layer, verdictCacheIdentity, judgeIdentity: judgeIdentity(settings.judge, context), behaviors: suites.behaviors, chains, skippedChains: skipped };
}

/**
 * Probe every model server of the scan once (target, judge models, helper): one that cannot be reached fails now,
 * naming its role, and one that announces itself as simulated is known as such. Returns the roles played by simulated
 * models (`target`, `judge`, `helper`), for RunRecord.simulatedRoles.
 *
 * @example
 * const roles = await probeScanModels(parts, io.signal); // ['judge'] with --judge llm:sim against a real target
 */
export async function probeScanModels(
  parts: Pick<ScanParts, 'target' | 'judgeTargets' | 'helper' | 'attacker' | 'evaluator' | 'rater'>,
  signal?: AbortSignal,
  /** Models not to probe (those whose calls wait for Batch files). */
  skip?: (target: Target) => boolean,
): Promise<string[]> {
  const roles: Array<[string, Target[]]> = [
    ['target', [parts.target]],
    ['judge', [...parts.judgeTargets, ...(parts.rater ? [parts.rater] : [])]],
    ['helper', parts.helper ? [parts.helper] : []],
    ['attacker', parts.attacker ? [parts.attacker] : []],
    ['evaluator', parts.evaluator ? [parts.evaluator] : []],
  ];
  for (const [role, targets] of roles) {
    for (const target of targets) {
      if (skip?.(target)) continue;
      try {
        await target.probe?.({ signal });
      } catch (error) {
        if (role === 'target' || !(error instanceof TargetError)) throw error;
        throw new TargetError(`${role} model: ${error.message}`, { retryable: false });
      }
    }
  }
  return roles.filter(([, targets]) => targets.some((target) => target.simulated)).map(([role]) => role);
}

/** Close every model client of the scan. */
export async function closeScanParts(parts: Pick<ScanParts, 'target' | 'judge' | 'helper' | 'attacker' | 'evaluator' | 'rater'>): Promise<void> {
  await parts.target.close?.();
  await parts.helper?.close?.();
  await parts.attacker?.close?.();
  await parts.evaluator?.close?.();
  await parts.rater?.close?.();
  await parts.judge.close?.();
}
