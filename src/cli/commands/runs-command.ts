import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const runsCommand = defineCommand({
  name: 'runs',
  summary: "List recorded runs",
  usage: 'redcard runs: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'runs' is not implemented yet");
  },
});
