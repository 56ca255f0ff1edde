import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const listCommand = defineCommand({
  name: 'list',
  summary: "List categories, attacks, suites, judges, targets or behaviors",
  usage: 'redcard list: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'list' is not implemented yet");
  },
});
