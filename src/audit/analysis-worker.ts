import { parentPort, workerData } from 'node:worker_threads';
import { MessageAnalyser, type MessageTask } from './analyse-message.js';

/** A worker thread of the audit's analysis pool: judges batches of screened messages posted by the main thread, in order. */
const analyser = new MessageAnalyser((workerData as { userPhrases: string[] }).userPhrases, { judgeAll: true });
// Loaded while the main thread reads the first batch, not after it arrives.
analyser.prepare();
parentPort!.on('message', (message: { id: number; tasks: MessageTask[] }) => {
  analyser.judgeEach(message.tasks).then(
    (findings) => parentPort!.postMessage({ id: message.id, findings }),
    (error: Error) => parentPort!.postMessage({ id: message.id, error: error.message }),
  );
});
