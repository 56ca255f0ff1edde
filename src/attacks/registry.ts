import type { AttackVector } from '../spec/attack-vector.js';
import { Registry } from '../util/registry.js';
import { direct } from './transforms/direct.js';

/** Every built-in attack vector. Adding one: write a module in transforms/ and add it here. */
export const attackRegistry = new Registry<AttackVector>('attack vector', (vector) => vector.id).add(direct);
