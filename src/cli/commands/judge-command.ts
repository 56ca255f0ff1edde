import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const judgeCommand = defineCommand({
  name: 'judge',
  summary: "Judge existing responses from a JSONL file",
  usage: 'redcard judge: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'judge' is not implemented yet");
  },
});
