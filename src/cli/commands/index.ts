import type { Command } from '../command.js';

/**
 * A command as `redcard --help` lists it: its name and summary, and a loader that imports its module only when it
 * runs (so `redcard --help` loads no command, no zod, no SQLite). The summary must equal the command's own (a test
 * checks every entry).
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every CLI command, in the order `redcard --help` lists them. */
export const commands: CommandEntry[] = [
  { name: 'scan', summary: 'Red-team a target: plan, send, judge, record, summarise', load: async () => (await import('./scan-command.js')).scanCommand },
  { name: 'runs', summary: 'List recorded runs', load: async () => (await import('./runs-command.js')).runsCommand },
  { name: 'report', summary: 'Write a scorecard report (html, md, json, junit) for a run', load: async () => (await import('./report-command.js')).reportCommand },
  { name: 'compare', summary: 'Compare two runs: differences with intervals, regressions flagged', load: async () => (await import('./compare-command.js')).compareCommand },
  { name: 'leaderboard', summary: 'Build a static leaderboard site across runs', load: async () => (await import('./leaderboard-command.js')).leaderboardCommand },
  { name: 'judge', summary: 'Judge existing responses from a JSONL file', load: async () => (await import('./judge-command.js')).judgeCommand },
  { name: 'judge-eval', summary: 'Measure a judge against human labels (HarmBench val, XSTest, JSONL)', load: async () => (await import('./judge-eval-command.js')).judgeEvalCommand },
  { name: 'bias', summary: "Score bias benchmarks: 'bias bbq' scores BBQ predictions you already have", load: async () => (await import('./bias-command.js')).biasCommand },
  { name: 'cai', summary: "Constitutional AI data from failures: 'cai revise', 'cai prefs', 'cai export', 'cai report', 'cai runs'", load: async () => (await import('./cai-command.js')).caiCommand },
  { name: 'audit', summary: 'Audit a training dataset for refusals and AI disclaimers; write filtered copies', load: async () => (await import('./audit-command.js')).auditCommand },
  { name: 'list', summary: 'List categories, attacks, suites, judges, targets, behaviors or strategies', load: async () => (await import('./list-command.js')).listCommand },
  { name: 'show', summary: "Show one plugin in detail, e.g. 'show attack roleplay.grandma'", load: async () => (await import('./show-command.js')).showCommand },
  { name: 'dataset', summary: "Download public datasets into the local cache ('dataset pull NAME', 'dataset list')", load: async () => (await import('./dataset-command.js')).datasetCommand },
  { name: 'batch', summary: "Run a scan's model calls as OpenAI Batch files ('batch export RUN', 'batch import RUN RESULTS.jsonl')", load: async () => (await import('./batch-command.js')).batchCommand },
  { name: 'model', summary: "GGUF models for the in-process target ('model pull hf:OWNER/REPO/FILE.gguf', 'model list')", load: async () => (await import('./model-command.js')).modelCommand },
  { name: 'sim', summary: "Simulated model: 'sim serve' runs an OpenAI-compatible server", load: async () => (await import('./sim-command.js')).simCommand },
  { name: 'serve', summary: 'Community red-teaming web app: chat, flag, label with measured agreement', load: async () => (await import('./serve-command.js')).serveCommand },
];
