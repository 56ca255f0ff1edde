import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RedcardError } from '../spec/errors.js';
import type { LeaseStore, RunLease } from '../store/store-api.js';

/** How often a holder renews its lease. */
export const LEASE_HEARTBEAT_MS = 5_000;
/** A lease whose heartbeat is older than this is stale, whoever holds it (a holder on another machine, a hung process). */
export const LEASE_STALE_MS = 30_000;

/** Who asks for a lease, and how to tell whether a holder is gone; tests inject a clock and a process table. */
export interface LeaseClaimant {
  pid: number;
  host: string;
  now(): number;
  /** Whether a process of this machine is alive. */
  isAlive(pid: number): boolean;
}

/** This process, on this machine. */
export function currentClaimant(): LeaseClaimant {
  return { pid: process.pid, host: hostname(), now: () => Date.now(), isAlive: processIsAlive };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

/** Another process holds the run: `holder` says who and since when. */
export class RunLockedError extends RedcardError {
  constructor(
    readonly runId: string,
    readonly holder: RunLease,
    now: number,
  ) {
    const since = Math.max(0, Math.round((now - holder.heartbeatAt) / 1000));
    super('run-locked', `run ${runId} is being worked by another process (pid ${holder.pid} on ${holder.host}, last heartbeat ${since} s ago)`);
    this.name = 'RunLockedError';
  }
}

/**
 * Whether a lease can be taken over: its heartbeat is older than LEASE_STALE_MS, or its holder ran on this machine and
 * its process is gone (killed, crashed). A lease of this very process under another token is live (a second scan of
 * the same run in one process is refused too).
 *
 * @example
 * isLeaseStale(lease, currentClaimant()) // true after the holder was killed with SIGKILL
 */
export function isLeaseStale(lease: RunLease, claimant: LeaseClaimant): boolean {
  if (claimant.now() - lease.heartbeatAt > LEASE_STALE_MS) return true;
  return lease.host === claimant.host && !claimant.isAlive(lease.pid);
}

/**
 * Take the run's lease, or throw RunLockedError when a live holder has it. Call it inside `store.writeTransaction` so
 * that two processes cannot both see the run free.
 *
 * @example
 * const lease = store.writeTransaction(() => claimRunLease(store, run.id, currentClaimant()));
 */
export function claimRunLease(store: LeaseStore, runId: string, claimant: LeaseClaimant): RunLease {
  const current = store.getRunLease(runId);
  if (current !== undefined && !isLeaseStale(current, claimant)) throw new RunLockedError(runId, current, claimant.now());
  const now = claimant.now();
  const lease: RunLease = { runId, token: randomBytes(8).toString('hex'), pid: claimant.pid, host: claimant.host, acquiredAt: now, heartbeatAt: now };
  store.putRunLease(lease);
  return lease;
}

/** A lease being held: renewed in the background until released. */
export interface HeldLease {
  readonly lease: RunLease;
  /** Renew now; false when another process has taken the lease over (this one looked stale). */
  renew(): boolean;
  /** Stop renewing and drop the lease (idempotent). */
  release(): void;
}

/**
 * Keep a lease alive: renew it every LEASE_HEARTBEAT_MS (an unref'd timer: it never keeps the process up) and call
 * `onLost` if another process took it over.
 *
 * @example
 * const held = holdRunLease(store, lease, claimant, () => controller.abort());
 * try { … } finally { held.release(); }
 */
export function holdRunLease(store: LeaseStore, lease: RunLease, claimant: LeaseClaimant, onLost: () => void, heartbeatMs = LEASE_HEARTBEAT_MS): HeldLease {
  let released = false;
  const renew = (): boolean => !released && store.renewRunLease(lease.runId, lease.token, claimant.now());
  const timer = setInterval(() => {
    let kept: boolean;
    try {
      kept = renew();
    } catch {
      return; // the database is busy with another writer: not lost, try again at the next beat
    }
    if (!kept && !released) {
      clearInterval(timer);
      onLost();
    }
  }, heartbeatMs);
  timer.unref();
  return {
    lease,
    renew,
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      store.releaseRunLease(lease.runId, lease.token);
    },
  };
}
