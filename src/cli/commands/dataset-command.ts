import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const datasetCommand = defineCommand({
  name: 'dataset',
  summary: "Download public datasets into the local cache ('dataset pull NAME')",
  usage: 'redcard dataset: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'dataset' is not implemented yet");
  },
});
