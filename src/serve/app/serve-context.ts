import type { Store } from '../../store/store-api.js';
import type { Account } from '../db/accounts.js';
import type { ServeDatabase } from '../db/serve-database.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { ChatTarget } from '../chat/chat-targets.js';

/** Everything the routes share: the stores, the chat targets and the limiters. */
export interface ServeContext {
  db: ServeDatabase;
  store: Store;
  targets: ChatTarget[];
  /** Hazard id → display name, in taxonomy order. */
  hazards: Record<string, string>;
  limits: {
    /** Model calls per account (chat messages). */
    modelCalls: RateLimiter;
    /** Failed sign-ins per username. */
    logins: RateLimiter;
    /** Failed sign-ins per client address. */
    loginAddresses: RateLimiter;
  };
  /** scrypt cost N for new passwords (default 2^17). */
  scryptN?: number;
  /** Aborted when the server stops: streams in flight end. */
  shutdown: AbortSignal;
}

/** How the request was authenticated. */
export type AuthKind = 'session' | 'token' | 'none';

/** Hono variables set by the auth middleware. */
export interface ServeVariables {
  account: Account | undefined;
  auth: AuthKind;
  /** The session's CSRF token (forms and `x-csrf-token`); for anonymous pages, the pre-session token. */
  csrfToken: string;
  /** The raw session cookie, for logout. */
  sessionToken: string | undefined;
}

export type ServeEnv = { Variables: ServeVariables };
