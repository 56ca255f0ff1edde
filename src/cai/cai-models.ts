import type { AttemptScope } from '../models/call-scope.js';
import type { ModelCallLayer, ModelClient } from '../models/model-call-layer.js';

/** A model as the CAI loop calls it: a client of the model-call layer, which says where each answer came from. */
export type CaiClient = ModelClient;

/** The call scope of one unit (item or pair): the layer accounts its calls per role under it. */
export type CaiScope = AttemptScope;

/**
 * What the CAI loop needs of the model-call layer (src/models): clients per role that share each model's concurrency
 * limit and the response cache, a scope per unit for accounting, and the cache entries to commit with the unit's
 * steps. The layer's call journal is not used: the loop's own journal is its steps table (`cai_steps`), which also
 * records each call's stage, principle and parsed content; a step recorded by a killed session is replayed from the
 * store and never asked again. With a `deferral` (Batch files), a call that waits for its answer stops its unit, which
 * is redone, its recorded steps replayed, once the answer is imported.
 */
export type CaiModelLayer = Pick<ModelCallLayer, 'client' | 'scope' | 'takeCacheWrites' | 'deferral'>;
