/**
 * `redcard serve` as a library: start the app, or build the Hono app over your own stores; the agreement and
 * findings functions the pages use.
 *
 * @example
 * import { startServe } from 'redcard';
 * const app = await startServe({ dbPath: '.redcard/redcard.db', port: 0 });
 */
export { startServe, type ServeOptions, type RunningServe } from './start-serve.js';
export { createServeApp, APP_CSP } from './app/serve-app.js';
export { taskAgreement, taskConsensus, strictMajority, type TaskAgreement, type QuestionAgreement } from './agreement/task-agreement.js';
export { attackerLeaderboard, findingStatuses, type LeaderboardRow } from './agreement/finding-status.js';
export { communityFindings, communitySuiteJsonl, type CommunityFinding } from './community/community-findings.js';
export { loadTaskLabels, taskLabelsJsonl, parseTaskLabelsSpec } from './community/task-labels.js';
export { runHumanVerification } from './community/run-human-verification.js';
