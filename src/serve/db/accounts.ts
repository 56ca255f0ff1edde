import { RedcardError } from '../../spec/errors.js';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password-hash.js';
import { newSecret, secretHash } from '../auth/secret-token.js';
import { isoNow, type ServeDatabase } from './serve-database.js';

/** What an account may do: admins everything; red-teamers chat and flag; annotators label. */
export const ROLES = ['admin', 'red-teamer', 'annotator'] as const;
export type Role = (typeof ROLES)[number];

/** An account as the app sees it (no secrets). */
export interface Account {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
  hasApiToken: boolean;
}

/** A refused account operation (bad invite, taken name, weak password): shown to the user as is. */
export class AccountError extends RedcardError {
  constructor(message: string) {
    super('account', message);
    this.name = 'AccountError';
  }
}

interface AccountRow {
  id: number;
  username: string;
  role: Role;
  created_at: string;
  api_token_hash: string | null;
  password_hash: string;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  username: row.username,
  role: row.role,
  createdAt: row.created_at,
  hasApiToken: row.api_token_hash !== null,
});

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;

/** Default lifetime of an invite link. */
export const INVITE_HOURS = 72;

/**
 * Create a single-use invite for a role; the returned token goes in the link and is stored only hashed.
 *
 * @example
 * const token = createInvite(db, { role: 'annotator', createdBy: admin.id });
 * // link: `${origin}/invite/${token}`
 */
export function createInvite(db: ServeDatabase, options: { role: Role; createdBy: number | null; hours?: number }): string {
  if (!(ROLES as readonly string[]).includes(options.role)) throw new AccountError(`unknown role '${options.role}'`);
  const hours = options.hours ?? INVITE_HOURS;
  if (!(hours > 0 && hours <= 24 * 30)) throw new AccountError('an invite lasts between 1 hour and 30 days');
  const token = newSecret();
  db.prepare('INSERT INTO serve_invites (token_hash, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
    secretHash(token),
    options.role,
    options.createdBy,
    isoNow(),
    isoNow(hours * 3_600_000),
  );
  return token;
}

/** The role an invite grants, or why it cannot be used. */
export function inspectInvite(db: ServeDatabase, token: string): { role: Role } | { problem: string } {
  const row = db
    .prepare<[string], { role: Role; expires_at: string; used_at: string | null }>('SELECT role, expires_at, used_at FROM serve_invites WHERE token_hash = ?')
    .get(secretHash(token));
  if (row === undefined) return { problem: 'this invite link is not valid' };
  if (row.used_at !== null) return { problem: 'this invite link has already been used' };
  if (row.expires_at <= isoNow()) return { problem: 'this invite link has expired; ask an admin for a new one' };
  return { role: row.role };
}

/**
 * Use an invite: create the account with its role. The invite is marked used in the same transaction, so two
 * people racing for one link get one account between them.
 *
 * @throws AccountError for a used, expired or unknown invite, a taken username or a weak password.
 */
export async function acceptInvite(db: ServeDatabase, token: string, username: string, password: string, options: { scryptN?: number } = {}): Promise<Account> {
  if (!USERNAME.test(username)) throw new AccountError('a username has 2–40 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  const problem = passwordProblem(password);
  if (problem) throw new AccountError(problem);
  const before = inspectInvite(db, token);
  if ('problem' in before) throw new AccountError(before.problem);
  const passwordHash = await hashPassword(password, options.scryptN);
  return db.transaction(() => {
    const invite = inspectInvite(db, token);
    if ('problem' in invite) throw new AccountError(invite.problem);
    if (db.prepare('SELECT 1 FROM serve_accounts WHERE username = ?').get(username) !== undefined) {
      throw new AccountError(`the username '${username}' is taken`);
    }
    const created = isoNow();
    const result = db.prepare('INSERT INTO serve_accounts (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(username, invite.role, passwordHash, created);
    const id = Number(result.lastInsertRowid);
    db.prepare('UPDATE serve_invites SET used_at = ?, used_by = ? WHERE token_hash = ?').run(created, id, secretHash(token));
    return { id, username, role: invite.role, createdAt: created, hasApiToken: false };
  }).immediate();
}

/** The account with this name and password, or undefined (unknown name or wrong password; same answer for both). */
export async function checkLogin(db: ServeDatabase, username: string, password: string): Promise<Account | undefined> {
  const row = db.prepare<[string], AccountRow>('SELECT * FROM serve_accounts WHERE username = ?').get(username);
  // Hash even for an unknown name, so the response time does not say which names exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row !== undefined && ok ? toAccount(row) : undefined;
}

const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function getAccount(db: ServeDatabase, id: number): Account | undefined {
  const row = db.prepare<[number], AccountRow>('SELECT * FROM serve_accounts WHERE id = ?').get(id);
  return row === undefined ? undefined : toAccount(row);
}

export function listAccounts(db: ServeDatabase): Account[] {
  return db.prepare<[], AccountRow>('SELECT * FROM serve_accounts ORDER BY id').all().map(toAccount);
}

export function countAccounts(db: ServeDatabase, role?: Role): number {
  const row = role === undefined
    ? db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM serve_accounts').get()
    : db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM serve_accounts WHERE role = ?').get(role);
  return row?.n ?? 0;
}

/**
 * Issue a new API token for an account (replacing any earlier one); returned once, stored hashed.
 *
 * @example
 * const token = issueApiToken(db, account.id); // send as `Authorization: Bearer ${token}`
 */
export function issueApiToken(db: ServeDatabase, accountId: number): string {
  const token = newSecret('rc_');
  db.prepare('UPDATE serve_accounts SET api_token_hash = ? WHERE id = ?').run(secretHash(token), accountId);
  return token;
}

export function revokeApiToken(db: ServeDatabase, accountId: number): void {
  db.prepare('UPDATE serve_accounts SET api_token_hash = NULL WHERE id = ?').run(accountId);
}

/** The account an API token belongs to. */
export function accountForApiToken(db: ServeDatabase, token: string): Account | undefined {
  const row = db.prepare<[string], AccountRow>('SELECT * FROM serve_accounts WHERE api_token_hash = ?').get(secretHash(token));
  return row === undefined ? undefined : toAccount(row);
}
