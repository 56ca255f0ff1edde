import type { SkippedChain } from '../attacks/chain.js';
import type { JudgeStats } from '../spec/judge.js';
import type { RunRecord } from '../spec/run-record.js';
import type { ModelRole } from '../spec/strategy.js';
import type { RunLease } from '../store/store-api.js';
import type { SettingChange } from './scan-settings.js';

/** Counters of a scan in progress. */
export interface ScanProgress {
  /** Attempts of the plan committed so far (including earlier sessions of a resumed run). */
  done: number;
  /** Attempts in the plan. */
  total: number;
  /** Attempts committed in this session. */
  sessionDone: number;
  /** Committed attempts that are errors (this session). */
  errors: number;
  /** Retried requests (this session). */
  retries: number;
  /** Responses served from the cache (this session). */
  cacheHits: number;
  /** Milliseconds since this session started. */
  elapsedMs: number;
}

/** What a scan reports while it runs; the CLI renders these (the engine never prints). */
export type ScanEvent =
  | { type: 'waiting'; runId: string; holder: RunLease }
  | { type: 'start'; run: RunRecord; planned: number; alreadyDone: number; resumed: boolean; skippedChains: SkippedChain[] }
  | ({ type: 'progress' } & ScanProgress)
  | { type: 'retry'; key: string; role: ModelRole; attempt: number; delayMs: number; reason: string }
  | { type: 'notice'; level: 'warning' | 'note' | 'info'; message: string }
  /** A resumed run goes on with these allowed changes of its recorded settings (operational, output). */
  | { type: 'resume-changes'; runId: string; changes: SettingChange[] }
  | ({ type: 'finish'; run: RunRecord; interrupted: boolean; judgeStats: JudgeStats } & ScanProgress);
