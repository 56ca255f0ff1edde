import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const compareCommand = defineCommand({
  name: 'compare',
  summary: "Compare two runs: differences with intervals, regressions flagged",
  usage: 'redcard compare: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'compare' is not implemented yet");
  },
});
