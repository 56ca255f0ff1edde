import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJudgeContext, judgeCacheIdentity, judgeDataFingerprint } from './judge-context.js';
import { createJudge } from './create-judge.js';
import { judgeRegistry } from './registry.js';
import { recordingTarget } from './testing/scripted-target.js';

test('judge context: cascade stages resolve through it and the cache identity names every judge target and the judge data', () => {
  const context = createJudgeContext((spec) => recordingTarget(() => '', `identity-of-${spec}`));
  createJudge('cascade:llm:one>strongreject:two', context);
  const identity = judgeCacheIdentity('cascade:llm:one>strongreject:two', context);
  assert.equal(identity, `cascade:llm:one>strongreject:two|identity-of-one|identity-of-two|data:${judgeDataFingerprint()}`);
  assert.match(judgeDataFingerprint(), /^[0-9a-f]{12}$/);
});

test('model judge kinds: metadata is complete and model judges need a target', () => {
  for (const kind of ['llm', 'strongreject', 'llama-guard', 'cascade']) {
    const judgeKind = judgeRegistry.get(kind);
    assert.ok(judgeKind.description.length > 20, kind);
    assert.match(judgeKind.reference, /^https:\/\//, kind);
    assert.equal(judgeKind.needsTarget, kind !== 'cascade', kind);
  }
});
