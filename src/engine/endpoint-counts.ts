import type { EndpointCounts } from '../spec/run-record.js';
import type { EndpointStats } from '../spec/target.js';

/**
 * The run's per-endpoint counts after a session: the counts recorded before it plus the session's, by URL.
 *
 * @example
 * mergeEndpointCounts(run.endpoints ?? [], target.endpointStats?.() ?? [])
 */
export function mergeEndpointCounts(before: readonly EndpointCounts[], session: readonly EndpointStats[]): EndpointCounts[] {
  const merged = new Map<string, EndpointCounts>(before.map((entry) => [entry.url, { ...entry }]));
  for (const stats of session) {
    const entry = merged.get(stats.url) ?? { url: stats.url, requests: 0, answered: 0, failed: 0, failovers: 0 };
    entry.requests += stats.requests;
    entry.answered += stats.answered;
    entry.failed += stats.failed;
    entry.failovers += stats.failovers;
    merged.set(stats.url, entry);
  }
  return [...merged.values()];
}
