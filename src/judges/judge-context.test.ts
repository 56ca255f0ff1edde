import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJudgeContext, judgeCacheIdentity, judgeDataFingerprint, judgeIdentity } from './judge-context.js';
import { createJudge } from './create-judge.js';
import { judgeRegistry } from './registry.js';
import { recordingTarget } from './testing/scripted-target.js';

test('judge context: cascade stages resolve through it and the cache identity names every judge target and the judge data', () => {
  const context = createJudgeContext((spec) => recordingTarget(() => '', `identity-of-${spec}`));
  createJudge('cascade:llm:one>strongreject:two', context);
  const identity = judgeCacheIdentity('cascade:llm:one>strongreject:two', context);
  assert.equal(identity, `cascade:llm:{identity-of-one}>strongreject:{identity-of-two}|data:${judgeDataFingerprint()}`);
  assert.match(judgeDataFingerprint(), /^[0-9a-f]{12}$/);
});

test('judge identity: its models by identity, so a moved judge server is the same judge and a different model is not', () => {
  const identityOf = (spec: string): string => {
    // Like an openai target: the identity holds the model, not the base URL.
    const context = createJudgeContext((targetSpec) => recordingTarget(() => '', `openai:${/model=([^,]+)/.exec(targetSpec)?.[1] ?? targetSpec}`));
    createJudge(spec, context);
    return judgeIdentity(spec, context);
  };
  const here = identityOf('llm:openai:base-url=http://127.0.0.1:8001/v1,model=judge,retries=1');
  assert.equal(here, 'llm:{openai:judge},retries=1');
  assert.equal(identityOf('llm:openai:base-url=http://10.0.0.7:9000/v1,model=judge,retries=1'), here);
  assert.notEqual(identityOf('llm:openai:base-url=http://127.0.0.1:8001/v1,model=other,retries=1'), here);
  assert.notEqual(identityOf('llm:openai:base-url=http://127.0.0.1:8001/v1,model=judge,retries=2'), here);
  // A spec that also appears inside a kind name is replaced where the target spec stands, after the kind's colon.
  assert.equal(identityOf('llm:m'), 'llm:{openai:m}');
  assert.equal(identityOf('cascade:refusal>llm:a>strongreject:a'), 'cascade:refusal>llm:{openai:a}>strongreject:{openai:a}');
  assert.equal(identityOf('refusal'), 'refusal', 'an offline judge is its spec');
});

test('model judge kinds: metadata is complete and model judges need a target', () => {
  for (const kind of ['llm', 'strongreject', 'llama-guard', 'cascade']) {
    const judgeKind = judgeRegistry.get(kind);
    assert.ok(judgeKind.description.length > 20, kind);
    assert.match(judgeKind.reference, /^https:\/\//, kind);
    assert.equal(judgeKind.needsTarget, kind !== 'cascade', kind);
  }
});
