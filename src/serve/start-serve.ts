import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { TargetConfigInput } from '../spec/target-config.js';
import { RedcardError } from '../spec/errors.js';
import { hazardNames } from '../report/hazard-names.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { chatTargets } from './chat/chat-targets.js';
import { countAccounts, createInvite } from './db/accounts.js';
import { openServeStores } from './db/serve-database.js';
import { createServeApp, type ServeErrorListener } from './app/serve-app.js';
import type { ServeContext } from './app/serve-context.js';
import { inviteLink } from './routes/admin-routes.js';

/** Options of `redcard serve`. */
export interface ServeOptions {
  /** SQLite store path (shared with scans). */
  dbPath: string;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (0 picks a free one). */
  port?: number;
  /** Named chat targets (a config file's `targets:`); `sim` is always there. */
  targets?: Record<string, TargetConfigInput>;
  /** Model calls per account per minute (default 30). */
  modelCallsPerMinute?: number;
  /** scrypt cost N for new passwords (default 2^17 = 128 MiB; at least 2^14). Lower it only on small machines or in tests. */
  scryptN?: number;
  /** Called with errors inside routes. */
  onError?: ServeErrorListener;
}

/** A running app. */
export interface RunningServe {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  host: string;
  port: number;
  /** The one-time admin invite link, when the store had no account yet. */
  adminInvite: string | undefined;
  /** Stop accepting requests, end streams in flight, close the stores. */
  close(): Promise<void>;
}

/** Sign-in failures allowed per username, and per client address, in 15 minutes. */
export const LOGIN_LIMITS = { perUser: 5, perAddress: 30, windowMs: 15 * 60_000 } as const;

/**
 * Start `redcard serve`: open the store, build the app and listen. When no account exists yet, a one-time admin
 * invite (valid 24 hours) is created and returned for the CLI to print.
 *
 * @example
 * const app = await startServe({ dbPath: '.redcard/redcard.db', port: 0 });
 * console.log(app.url, app.adminInvite);
 * await app.close();
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const targets = chatTargets(options.targets ?? {});
  const stores = openServeStores(options.dbPath);
  const shutdown = new AbortController();
  const context: ServeContext = {
    db: stores.db,
    store: stores.store,
    targets,
    hazards: hazardNames(),
    limits: {
      modelCalls: new RateLimiter(options.modelCallsPerMinute ?? 30, 60_000),
      logins: new RateLimiter(LOGIN_LIMITS.perUser, LOGIN_LIMITS.windowMs),
      loginAddresses: new RateLimiter(LOGIN_LIMITS.perAddress, LOGIN_LIMITS.windowMs),
    },
    scryptN: options.scryptN,
    shutdown: shutdown.signal,
  };
  const app = createServeApp(context, options.onError);
  const host = options.host ?? '127.0.0.1';
  let server: Server;
  let address: AddressInfo;
  try {
    ({ server, address } = await new Promise<{ server: Server; address: AddressInfo }>((resolve, reject) => {
      const created = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8080 }, (info) => resolve({ server: created as Server, address: info }));
      (created as Server).once('error', reject);
    }));
  } catch (error) {
    stores.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new RedcardError('serve', code === 'EADDRINUSE' ? `port ${options.port} on ${host} is in use (pick another with --port, or 0 for any free port)` : `cannot listen on ${host}:${options.port}: ${(error as Error).message}`, { cause: error });
  }
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  const adminInvite = countAccounts(stores.db, 'admin') === 0 ? inviteLink(url, createInvite(stores.db, { role: 'admin', createdBy: null, hours: 24 })) : undefined;
  let closed: Promise<void> | undefined;
  return {
    url,
    host: address.address,
    port: address.port,
    adminInvite,
    close() {
      closed ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => {
          stores.close();
          resolve();
        });
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closed;
    },
  };
}
