import type { TargetKind } from '../spec/target-config.js';
import { Registry } from '../util/registry.js';
import { openaiTargetKind } from './openai-target.js';
import { simTargetKind } from './sim/sim-target.js';
import { replayTargetKind } from './replay-target.js';
import { httpTargetKind } from './http/http-target.js';
import { llamaTargetKind } from './llama/llama-target.js';

/** Every target adapter kind. Adding one: write a module here and add it. */
export const targetRegistry = new Registry<TargetKind>('target kind', (kind) => kind.kind);
targetRegistry.add(openaiTargetKind);
targetRegistry.add(simTargetKind);
targetRegistry.add(replayTargetKind);
targetRegistry.add(httpTargetKind);
targetRegistry.add(llamaTargetKind);
