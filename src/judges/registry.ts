import type { JudgeKind } from '../spec/judge-kind.js';
import { Registry } from '../util/registry.js';
import { refusalJudgeKind } from './refusal-judge.js';
import { llmJudgeKind } from './llm-judge.js';
import { strongRejectJudgeKind } from './strongreject-judge.js';
import { llamaGuardJudgeKind } from './llama-guard-judge.js';
import { cascadeJudgeKind } from './cascade-judge.js';

/** Every judge kind. Adding one: write a module here and add it. */
export const judgeRegistry = new Registry<JudgeKind>('judge kind', (kind) => kind.kind);

judgeRegistry.add(refusalJudgeKind);
judgeRegistry.add(llmJudgeKind);
judgeRegistry.add(strongRejectJudgeKind);
judgeRegistry.add(llamaGuardJudgeKind);
judgeRegistry.add(cascadeJudgeKind);
