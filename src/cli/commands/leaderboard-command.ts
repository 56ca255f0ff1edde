import { defineCommand } from '../command.js';
import { RedcardError } from '../../spec/errors.js';

// Placeholder until its issue lands: the command exists so that help lists it, and says plainly it is not built yet.
export const leaderboardCommand = defineCommand({
  name: 'leaderboard',
  summary: "Build a static leaderboard site across runs",
  usage: 'redcard leaderboard: not implemented yet.',
  options: {},
  async run() {
    throw new RedcardError('not-implemented', "'leaderboard' is not implemented yet");
  },
});
