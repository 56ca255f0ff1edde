import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const simCommand = defineCommand({
  name: 'sim',
  summary: "Simulated model: 'sim serve' runs an OpenAI-compatible server",
  usage: 'redcard sim: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'sim' is not implemented yet");
  },
});
