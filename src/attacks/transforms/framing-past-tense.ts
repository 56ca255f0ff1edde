import { defineAttack } from '../../spec/attack-vector.js';
import { rewriteLastUser } from '../../spec/message.js';
import { toPastTense } from '../past-tense.js';

/** Rewrites the request into a question about how it was done in the past, by rules (no model). */
export const framingPastTense = defineAttack({
  id: 'framing.past-tense',
  family: 'framing',
  description: 'Rewrites the request into the past tense ("How did people … in the past?") with rules, no model.',
  reference: 'https://arxiv.org/abs/2407.11969',
  needsHelper: false,
  decodesResponse: false,
  apply: ({ conversation, sample }) => rewriteLastUser(conversation, (text) => toPastTense(text, sample)),
});
