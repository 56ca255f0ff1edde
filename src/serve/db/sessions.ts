import { newSecret, secretHash } from '../auth/secret-token.js';
import { getAccount, type Account } from './accounts.js';
import { isoNow, type ServeDatabase } from './serve-database.js';

/** Sessions end after this long without a request… */
export const SESSION_IDLE_MS = 8 * 3_600_000;
/** …and after this long at most, however active. */
export const SESSION_MAX_MS = 7 * 24 * 3_600_000;

/** A signed-in session: the account and the CSRF token its forms carry. */
export interface Session {
  account: Account;
  csrfToken: string;
}

/**
 * Start a session; the returned token goes in the HttpOnly cookie and is stored only hashed.
 *
 * @example
 * const { token } = createSession(db, account.id);
 */
export function createSession(db: ServeDatabase, accountId: number): { token: string; csrfToken: string } {
  const token = newSecret();
  const csrfToken = newSecret();
  db.prepare('DELETE FROM serve_sessions WHERE expires_at <= ? OR idle_expires_at <= ?').run(isoNow(), isoNow());
  db.prepare('INSERT INTO serve_sessions (token_hash, account_id, csrf_token, created_at, expires_at, idle_expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    secretHash(token),
    accountId,
    csrfToken,
    isoNow(),
    isoNow(SESSION_MAX_MS),
    isoNow(SESSION_IDLE_MS),
  );
  return { token, csrfToken };
}

/** The live session for a cookie token (its idle deadline is pushed back), or undefined when unknown or expired. */
export function resumeSession(db: ServeDatabase, token: string): Session | undefined {
  const hash = secretHash(token);
  const row = db
    .prepare<[string], { account_id: number; csrf_token: string; expires_at: string; idle_expires_at: string }>(
      'SELECT account_id, csrf_token, expires_at, idle_expires_at FROM serve_sessions WHERE token_hash = ?',
    )
    .get(hash);
  if (row === undefined) return undefined;
  const now = isoNow();
  if (row.expires_at <= now || row.idle_expires_at <= now) {
    db.prepare('DELETE FROM serve_sessions WHERE token_hash = ?').run(hash);
    return undefined;
  }
  const account = getAccount(db, row.account_id);
  if (account === undefined) return undefined;
  db.prepare('UPDATE serve_sessions SET idle_expires_at = ? WHERE token_hash = ?').run(isoNow(SESSION_IDLE_MS), hash);
  return { account, csrfToken: row.csrf_token };
}

export function endSession(db: ServeDatabase, token: string): void {
  db.prepare('DELETE FROM serve_sessions WHERE token_hash = ?').run(secretHash(token));
}
