import type { CaiModelLayer } from '../../cai/cai-models.js';
import { ModelCallLayer } from '../../models/model-call-layer.js';
import type { Store } from '../../store/store-api.js';

/**
 * The model-call layer a CAI command calls its models through (src/models): the store's response cache (unless
 * `--no-cache`), one concurrency limit per model shared by every role it plays, accounting per role per unit.
 *
 * @example
 * await caiRevise(settings, { store, layer: caiModelLayer(store, settings.cache) });
 */
export function caiModelLayer(store: Store, useCache: boolean): CaiModelLayer {
  return new ModelCallLayer({ cache: store, useCache });
}
