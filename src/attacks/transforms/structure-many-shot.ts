import { defineAttack } from '../../spec/attack-vector.js';
import { withExampleTurns } from '../example-turns.js';

/** Precedes the request with dozens of fake exchanges in which the assistant complied (answers are [REDACTED] placeholders). Count: `data/attacks/templates.json`. */
export const structureManyShot = defineAttack({
  id: 'structure.many-shot',
  family: 'structure',
  description: 'Precedes the request with dozens of fake exchanges in which the assistant complied (answers are [REDACTED] placeholders).',
  reference: 'https://www.anthropic.com/research/many-shot-jailbreaking',
  needsHelper: false,
  decodesResponse: false,
  apply: ({ conversation, sample }) => withExampleTurns('structure.many-shot', conversation, sample),
});
