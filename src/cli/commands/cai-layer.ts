import type { CaiModelLayer } from '../../cai/cai-models.js';
import type { Store } from '../../store/store-api.js';
import { directLayer } from '../../cai/testing/direct-layer.js';

/**
 * The model-call layer a CAI command calls its models through. Until issue 9's layer (src/models) is on this branch,
 * calls go straight to their targets (no response cache); the command does not change when it arrives.
 *
 * @example
 * await caiRevise(settings, { store, layer: caiModelLayer(store, settings.cache) });
 */
export function caiModelLayer(_store: Store, _useCache: boolean): CaiModelLayer {
  return directLayer();
}
