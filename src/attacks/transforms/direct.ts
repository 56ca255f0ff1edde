import { defineAttack } from '../../spec/attack-vector.js';

/** The baseline: the request exactly as written, no attack. Every other vector is measured against it. */
export const direct = defineAttack({
  id: 'direct',
  family: 'baseline',
  description: 'Sends the request exactly as written: the baseline every vector is compared with.',
  reference: 'https://arxiv.org/abs/2402.04249',
  needsHelper: false,
  decodesResponse: false,
  apply: ({ conversation }) => conversation,
});
