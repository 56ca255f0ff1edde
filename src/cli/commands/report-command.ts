import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const reportCommand = defineCommand({
  name: 'report',
  summary: "Write a scorecard report (html, md, json, junit) for a run",
  usage: 'redcard report: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'report' is not implemented yet");
  },
});
