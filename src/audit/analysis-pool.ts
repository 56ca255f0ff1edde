import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RedcardError } from '../spec/errors.js';
import { MessageAnalyser, type MessageFinding, type MessageTask } from './analyse-message.js';

/**
 * Judges batches of messages that were screened already ({@link MessageAnalyser.screen}), in worker threads or in
 * this thread; results come back per batch, in order.
 */
export interface AnalysisPool {
  /** Worker threads used (0: in this thread). */
  readonly workers: number;
  analyse(tasks: MessageTask[]): Promise<MessageFinding[]>;
  close(): Promise<void>;
}

/**
 * Default worker count: one fewer than the cores when there are at least two (the main thread reads, parses and
 * screens every message, so it keeps a core busy; on 2 cores a second judge thread only contended with it: measured
 * slower, bench/audit.bench.mjs), none on one core.
 */
export function defaultWorkerCount(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(cores - 1, 8);
}

/**
 * A pool of analysers. With `workers` = 0 the judge runs in this thread; otherwise each worker thread builds its own
 * offline judge and batches go to the least busy one.
 *
 * @example
 * const pool = createAnalysisPool({ workers: 2, userPhrases: [] });
 * const findings = await pool.analyse([{ request: 'Hi', response: 'Hello!' }]);
 * await pool.close();
 */
export function createAnalysisPool(options: { workers: number; userPhrases: readonly string[] }): AnalysisPool {
  if (options.workers <= 0) {
    const analyser = new MessageAnalyser(options.userPhrases, { judgeAll: true });
    return { workers: 0, analyse: (tasks) => analyser.judgeEach(tasks), close: async () => undefined };
  }
  const url = new URL('./analysis-worker.js', import.meta.url);
  const pending = new Map<number, { resolve: (findings: MessageFinding[]) => void; reject: (error: Error) => void; worker: number }>();
  const load = new Array<number>(options.workers).fill(0);
  let failure: Error | undefined;
  const workers = Array.from({ length: options.workers }, (_, position) => {
    const worker = new Worker(url, { workerData: { userPhrases: [...options.userPhrases] } });
    worker.on('message', (message: { id: number; findings?: MessageFinding[]; error?: string }) => {
      const entry = pending.get(message.id);
      if (entry === undefined) return;
      pending.delete(message.id);
      load[position] -= 1;
      if (message.error !== undefined) entry.reject(new RedcardError('audit', `message analysis failed: ${message.error}`));
      else entry.resolve(message.findings!);
    });
    worker.on('error', (error) => {
      failure = new RedcardError('audit', `an analysis worker failed: ${error.message}`);
      for (const [id, entry] of pending) {
        if (entry.worker === position) {
          pending.delete(id);
          entry.reject(failure);
        }
      }
    });
    return worker;
  });
  let nextId = 0;
  return {
    workers: options.workers,
    analyse(tasks) {
      if (failure !== undefined) return Promise.reject(failure);
      if (tasks.length === 0) return Promise.resolve([]);
      const position = load.indexOf(Math.min(...load));
      load[position] += 1;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, worker: position });
        workers[position]!.postMessage({ id, tasks });
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
