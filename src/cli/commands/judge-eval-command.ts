import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const judgeEvalCommand = defineCommand({
  name: 'judge-eval',
  summary: "Measure a judge against human labels",
  usage: 'redcard judge-eval: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'judge-eval' is not implemented yet");
  },
});
