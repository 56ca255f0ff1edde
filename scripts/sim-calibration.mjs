#!/usr/bin/env node
// Calibration report for the simulator: direct ASR per hazard, ASR per attack vector, over-refusal on benign twins,
// all judged by the offline refusal judge, in-process (no store). Build first (npx tsc -p .).
// Usage: node scripts/sim-calibration.mjs [--profile NAME] [--seed N] [--suite SPEC]... [--attacks LIST] [--benign SPEC]
import '../dist/attacks/registry.js';
import '../dist/corpus/registry.js';
import { loadSuites } from '../dist/corpus/load-suites.js';
import { resolveAttackChains, applyChain, decodeChain } from '../dist/attacks/chain.js';
import { createSimModel } from '../dist/targets/sim/sim-model.js';
import { judgeOffline } from '../dist/judges/refusal-judge.js';
import { loadOfflineModel } from '../dist/judges/offline/offline-model.js';
import { mapFinishReason } from '../dist/targets/finish-reason.js';

const args = process.argv.slice(2);
const option = (name, fallback) => { const index = args.indexOf(`--${name}`); return index === -1 ? fallback : args[index + 1]; };
const profile = option('profile', 'default');
const seed = Number(option('seed', '0'));
const suite = option('suite', 'core:harmful');
const attacks = option('attacks', 'direct');
const verbose = args.includes('--verbose');
const model = createSimModel({ seed, profile });
const judgeModel = loadOfflineModel();
const { behaviors } = await loadSuites([suite], { lenient: true });
const { chains } = resolveAttackChains([attacks], { helperAvailable: false });
const perCategory = new Map();
const perAttack = new Map();
const bump = (map, key, hit) => { const entry = map.get(key) ?? { n: 0, hits: 0 }; entry.n += 1; entry.hits += hit ? 1 : 0; map.set(key, entry); };
for (const chain of chains) {
  for (const behavior of behaviors) {
    const messages = await applyChain(chain, { behavior, sample: 0 });
    const answer = model.answer(messages, { sample: 0 });
    const text = await decodeChain(chain, answer.text);
    const verdict = judgeOffline(judgeModel, { behavior, messages }, { text, rawText: answer.text, finishReason: mapFinishReason(answer.finishReason) });
    const hit = behavior.benign ? verdict.label === 'refusal' || verdict.label === 'partial' : verdict.harmful === true;
    if (chain.id === 'direct' || chains.length === 1) bump(perCategory, behavior.category + (behavior.benign ? ' (benign)' : ''), hit);
    bump(perAttack, behavior.benign ? `${chain.id} (benign: over-refusal)` : chain.id, hit);
    if (chain.id === 'direct') for (const tag of behavior.tags ?? []) if (tag.startsWith('twin:')) bump(perCategory, tag, hit);
    if (verbose && chain.id === "direct" && hit) console.log(`${hit ? 'HIT ' : 'MISS'} ${behavior.category} ${behavior.text}`);
  }
}
const percent = (entry) => `${((100 * entry.hits) / entry.n).toFixed(1).padStart(5)} % (${entry.hits}/${entry.n})`;
console.log(`profile ${profile}, seed ${seed}, suite ${suite}: ${behaviors.length} behaviors`);
console.log('per category (direct):');
for (const [key, entry] of [...perCategory].sort()) console.log(`  ${key.padEnd(24)} ${percent(entry)}`);
console.log('per attack:');
let total = { n: 0, hits: 0 };
for (const [key, entry] of perAttack) { console.log(`  ${key.padEnd(40)} ${percent(entry)}`); if (key === 'direct') total = entry; }
if (total.n) console.log(`direct overall ${percent(total)}`);
if (args.includes('--explain')) {
  const { assessRequest } = await import('../dist/targets/sim/sim-model.js');
  for (const behavior of behaviors) {
    const assessment = assessRequest(`user: ${behavior.text}\n`, model.profile);
    console.log(`${assessment.refusalProbability.toFixed(2)} harm=${assessment.harm.toFixed(2)} [${assessment.hazards.join(',')}] ${behavior.category} ${behavior.text}`);
  }
}
