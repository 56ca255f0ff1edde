// Public surface of the targets folder.
export { createTarget } from './create-target.js';
export { parseTargetSpec } from './parse-target-spec.js';
export { targetRegistry } from './registry.js';
export { createOpenAITarget, openaiTargetKind, type RetryTuning } from './openai-target.js';
export { createSimTarget, simTargetKind } from './sim/sim-target.js';
export { createSimModel, assessRequest, type SimModel, type SimAnswer, type SimAssessment } from './sim/sim-model.js';
export { loadSimProfile, builtInProfileNames, type SimProfile } from './sim/sim-profile.js';
export { startSimServer, type SimServer, type SimServerOptions } from './sim-server.js';
export { createReplayTarget, replayTargetKind, readReplayFile } from './replay-target.js';
export { mapFinishReason } from './finish-reason.js';
