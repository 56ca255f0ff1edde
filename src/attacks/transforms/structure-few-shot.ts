import { defineAttack } from '../../spec/attack-vector.js';
import { withExampleTurns } from '../example-turns.js';

/** Precedes the request with a few fake exchanges in which the assistant complied (answers are [REDACTED] placeholders). Count: `data/attacks/templates.json`. */
export const structureFewShot = defineAttack({
  id: 'structure.few-shot',
  family: 'structure',
  description: 'Precedes the request with a few fake exchanges in which the assistant complied (answers are [REDACTED] placeholders).',
  reference: 'https://arxiv.org/abs/2310.06387',
  needsHelper: false,
  decodesResponse: false,
  apply: ({ conversation, sample }) => withExampleTurns('structure.few-shot', conversation, sample),
});
