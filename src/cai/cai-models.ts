import type { RoleAccounting } from '../spec/attempt.js';
import type { ModelRole } from '../spec/strategy.js';
import type { GenerateRequest, GenerateResponse, Target } from '../spec/target.js';

/** The call scope of one unit (item or pair): the layer accounts its calls per role under it. */
export interface CaiScope {
  readonly key: string;
  readonly accounting: RoleAccounting;
}

/** A model as the CAI loop calls it: through the model-call layer, which says where each answer came from. */
export interface CaiClient {
  readonly role: ModelRole;
  readonly kind: string;
  readonly label: string;
  readonly identity: string;
  readonly simulated: boolean;
  readonly concurrency: number;
  generate(request: GenerateRequest, options?: { signal?: AbortSignal; scope?: CaiScope }): Promise<GenerateResponse & { source?: 'model' | 'cache' | 'journal' }>;
}

/**
 * What the CAI loop needs of the model-call layer (src/models, ModelCallLayer): clients per role that share each
 * model's concurrency limit and the response cache, a scope per unit for accounting, and the cache entries to commit
 * with the unit's steps. The loop's own journal is its steps table: a step recorded by a killed session is replayed
 * from the store and never asked again.
 */
export interface CaiModelLayer {
  client(target: Target, role: ModelRole): CaiClient;
  scope(key: string, correlationPrefix: string): CaiScope;
  takeCacheWrites(): Array<{ key: string; response: GenerateResponse }>;
}
