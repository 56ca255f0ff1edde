import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const scanCommand = defineCommand({
  name: 'scan',
  summary: "Red-team a target: plan, send, judge, record, summarise",
  usage: 'redcard scan: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'scan' is not implemented yet");
  },
});
