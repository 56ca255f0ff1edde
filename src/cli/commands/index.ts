import type { Command } from '../command.js';
import { scanCommand } from './scan-command.js';
import { runsCommand } from './runs-command.js';
import { simCommand } from './sim-command.js';
import { listCommand } from './list-command.js';
import { showCommand } from './show-command.js';
import { datasetCommand } from './dataset-command.js';
import { judgeCommand } from './judge-command.js';
import { judgeEvalCommand } from './judge-eval-command.js';
import { reportCommand } from './report-command.js';
import { compareCommand } from './compare-command.js';
import { leaderboardCommand } from './leaderboard-command.js';
import { biasCommand } from './bias-command.js';
import { auditCommand } from './audit-command.js';
import { serveCommand } from './serve-command.js';
import { caiCommand } from './cai-command.js';

/** Every CLI command, in the order `redcard --help` lists them. */
export const commands: Command[] = [
  scanCommand,
  runsCommand,
  reportCommand,
  compareCommand,
  leaderboardCommand,
  judgeCommand,
  judgeEvalCommand,
  biasCommand,
  caiCommand,
  auditCommand,
  listCommand,
  showCommand,
  datasetCommand,
  simCommand,
  serveCommand,
];
