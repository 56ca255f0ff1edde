import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const showCommand = defineCommand({
  name: 'show',
  summary: "Show one plugin in detail, e.g. 'show attack roleplay.grandma'",
  usage: 'redcard show: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'show' is not implemented yet");
  },
});
