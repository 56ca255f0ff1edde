import type { Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { acceptInvite, AccountError, checkLogin, inspectInvite } from '../db/accounts.js';
import { createSession, endSession, SESSION_MAX_MS } from '../db/sessions.js';
import { anonymousForm, guard, SESSION_COOKIE } from '../app/auth-middleware.js';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { html } from '../views/html.js';
import { csrfField } from '../views/layout.js';
import { renderPage } from '../views/render-page.js';
import { loginPage, safeNext } from '../views/login-page.js';
import { PASSWORD_LENGTH } from '../auth/password-hash.js';

function startSession(c: Context<ServeEnv>, context: ServeContext, accountId: number): void {
  const { token } = createSession(context.db, accountId);
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: Math.floor(SESSION_MAX_MS / 1000) });
}

function clientAddress(c: Context<ServeEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Sign-in, sign-out and invite links. */
export function authRoutes(app: Hono<ServeEnv>, context: ServeContext): void {
  app.get('/login', (c) => (c.get('account') ? c.redirect('/') : loginPage(c, { next: c.req.query('next') })));

  app.post('/login', anonymousForm(), async (c) => {
    const body = await c.req.parseBody();
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const userKey = username.toLowerCase();
    const address = clientAddress(c);
    const wait = Math.max(context.limits.logins.check(userKey), context.limits.loginAddresses.check(address));
    if (wait > 0) {
      c.header('retry-after', String(Math.ceil(wait / 1000)));
      return loginPage(c, { error: `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60_000)} min.`, username }, 429);
    }
    const account = username && password.length <= PASSWORD_LENGTH.max ? await checkLogin(context.db, username, password) : undefined;
    if (account === undefined) {
      context.limits.logins.take(userKey);
      context.limits.loginAddresses.take(address);
      return loginPage(c, { error: 'Wrong username or password.', next: String(body.next ?? '/'), username }, 401);
    }
    context.limits.logins.clear(userKey);
    startSession(c, context, account.id);
    return c.redirect(safeNext(body.next), 303);
  });

  app.post('/logout', guard(), (c) => {
    const token = c.get('sessionToken');
    if (token) endSession(context.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  const invitePage = (c: Context<ServeEnv>, token: string, error?: string, status: 200 | 400 | 404 = 200): Response => {
    const invite = inspectInvite(context.db, token);
    if ('problem' in invite) return renderPage(c, { title: 'Invite' }, html`<section class="auth-card"><h1>Invite</h1><p class="error">${invite.problem}</p></section>`, 404);
    return renderPage(
      c,
      { title: 'Join redcard' },
      html`<section class="auth-card">
  <h1>Join redcard</h1>
  <p>This one-time link makes you a <span class="role role-${invite.role}">${invite.role}</span>.</p>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  <form method="post" action="/invite/${token}" class="stack">
    ${csrfField(c.get('csrfToken'))}
    <label>Username <input name="username" autocomplete="username" required pattern="[A-Za-z0-9][A-Za-z0-9._\\-]{1,39}"></label>
    <label><span>Password <span class="muted small">(at least ${PASSWORD_LENGTH.min} characters)</span></span><input name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_LENGTH.min}"></label>
    <button type="submit" class="button primary">Create account</button>
  </form>
</section>`,
      status,
    );
  };

  app.get('/invite/:token', (c) => invitePage(c, c.req.param('token')));

  app.post('/invite/:token', anonymousForm(), async (c) => {
    const token = c.req.param('token');
    const body = await c.req.parseBody();
    try {
      const account = await acceptInvite(context.db, token, String(body.username ?? '').trim(), String(body.password ?? ''), { scryptN: context.scryptN });
      startSession(c, context, account.id);
      return c.redirect('/', 303);
    } catch (error) {
      if (error instanceof AccountError) return invitePage(c, token, error.message, 400);
      throw error;
    }
  });
}
