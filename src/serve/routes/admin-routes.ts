import type { Context, Hono } from 'hono';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import { guard, refuse } from '../app/auth-middleware.js';
import { problemStatus } from './problem-status.js';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { AccountError, createInvite, listAccounts, ROLES, type Role } from '../db/accounts.js';
import { createTaskFromFlags, createTaskFromRun, QUESTIONS, type Question, type RunItemFilter, type TaskSettings } from '../db/tasks.js';
import { adminPage } from '../views/admin-pages.js';

/** The invite link for a token, on the origin the admin is using. */
export function inviteLink(origin: string, token: string): string {
  return `${origin}/invite/${token}`;
}

function questionsOf(value: unknown): Question[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return list.map((entry) => String(entry).trim()).filter((entry): entry is Question => (QUESTIONS as readonly string[]).includes(entry));
}

/** Create a task from a form or JSON body: `source` is `community` or `run:ID`. */
function createTask(context: ServeContext, accountId: number, body: Record<string, unknown>) {
  const settings: TaskSettings = { name: String(body.name ?? ''), questions: questionsOf(body.questions), k: Number(body.k ?? 3), createdBy: accountId };
  const source = String(body.source ?? '');
  if (source === 'community') {
    if (!settings.questions.includes('harmful')) settings.questions.push('harmful');
    return createTaskFromFlags(context.db, settings, { includeFailures: body.includeFailures === true || body.includeFailures === 'on' });
  }
  if (!source.startsWith('run:')) throw new ConfigError("source is 'community' or 'run:RUN_ID'", { field: 'source' });
  const filter: RunItemFilter = {
    hazard: typeof body.hazard === 'string' && body.hazard ? body.hazard : undefined,
    attack: typeof body.attack === 'string' && body.attack ? body.attack : undefined,
    verdict: typeof body.verdict === 'string' && body.verdict ? body.verdict : undefined,
    limit: body.limit === undefined || body.limit === '' ? undefined : Number(body.limit),
  };
  if (filter.limit !== undefined && !(Number.isInteger(filter.limit) && filter.limit > 0)) throw new ConfigError('limit is a positive whole number', { field: 'limit' });
  return createTaskFromRun(context, settings, source.slice(4), filter);
}

/** Admin: accounts, invite links, new tasks. */
export function adminRoutes(app: Hono<ServeEnv>, context: ServeContext): void {
  const admins = guard(['admin']);
  const origin = (c: Context<ServeEnv>): string => new URL(c.req.url).origin;

  app.get('/api/accounts', admins, (c) => c.json({ accounts: listAccounts(context.db) }));

  app.post('/api/invites', admins, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    try {
      const role = String(body.role ?? '') as Role;
      const token = createInvite(context.db, { role, createdBy: c.get('account')!.id, hours: body.hours === undefined ? undefined : Number(body.hours) });
      return c.json({ role, link: inviteLink(origin(c), token) }, 201);
    } catch (error) {
      const refused = problemStatus(c, error);
      if (refused) return refused;
      throw error;
    }
  });

  app.post('/api/tasks', admins, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    try {
      return c.json({ task: createTask(context, c.get('account')!.id, body) }, 201);
    } catch (error) {
      const refused = problemStatus(c, error);
      if (refused) return refused;
      throw error;
    }
  });

  app.get('/admin', admins, (c) => adminPage(c, context, {}));

  app.post('/admin/invites', admins, async (c) => {
    const body = await c.req.parseBody();
    try {
      const role = String(body.role ?? '') as Role;
      if (!(ROLES as readonly string[]).includes(role)) throw new AccountError(`unknown role '${role}'`);
      const token = createInvite(context.db, { role, createdBy: c.get('account')!.id, hours: body.hours ? Number(body.hours) : undefined });
      return adminPage(c, context, { invite: { role, link: inviteLink(origin(c), token) } });
    } catch (error) {
      if (error instanceof AccountError) return adminPage(c, context, { error: error.message }, 400);
      throw error;
    }
  });

  app.post('/admin/tasks', admins, async (c) => {
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    try {
      const task = createTask(context, c.get('account')!.id, body);
      return c.redirect(`/tasks/${task.id}`, 303);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof NotFoundError) return adminPage(c, context, { error: error.message }, 400);
      throw error;
    }
  });
}
