import { defineAttack } from '../../spec/attack-vector.js';
import { DatasetError } from '../../spec/errors.js';
import { dataPath } from '../../util/paths.js';
import { templateEntry } from '../attack-data.js';
import { exampleTurns } from '../example-turns.js';

/** Precedes the request with dozens of fake exchanges in which the assistant complied (answers are [REDACTED] placeholders). Count: `data/attacks/templates.json`. */
export const structureManyShot = defineAttack({
  id: 'structure.many-shot',
  family: 'structure',
  description: 'Precedes the request with dozens of fake exchanges in which the assistant complied (answers are [REDACTED] placeholders).',
  reference: 'https://www.anthropic.com/research/many-shot-jailbreaking',
  needsHelper: false,
  decodesResponse: false,
  apply: ({ conversation, sample }) => {
    const shots = templateEntry('structure.many-shot').shots;
    if (typeof shots !== 'number' || !Number.isInteger(shots) || shots < 1) {
      throw new DatasetError("'structure.many-shot.shots' must be a positive integer", dataPath('attacks', 'templates.json'));
    }
    const firstTurn = conversation.findIndex((message) => message.role !== 'system');
    const at = firstTurn === -1 ? conversation.length : firstTurn;
    return [...conversation.slice(0, at), ...exampleTurns(shots, sample), ...conversation.slice(at)];
  },
});
