import type { JudgeKind } from '../spec/judge-kind.js';
import { Registry } from '../util/registry.js';
import { refusalJudgeKind } from './refusal-judge.js';

/** Every judge kind. Adding one: write a module here and add it. */
export const judgeRegistry = new Registry<JudgeKind>('judge kind', (kind) => kind.kind);

judgeRegistry.add(refusalJudgeKind);
