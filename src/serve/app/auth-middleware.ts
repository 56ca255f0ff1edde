import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { accountForApiToken, type Role } from '../db/accounts.js';
import { resumeSession } from '../db/sessions.js';
import { newSecret } from '../auth/secret-token.js';
import type { ServeContext, ServeEnv } from './serve-context.js';
import { loginPage } from '../views/login-page.js';
import { escapeHtml } from '../../report/escape-html.js';

/** Cookie names. `__Host-` is not used: the app is served over plain HTTP on loopback, where it cannot apply. */
export const SESSION_COOKIE = 'redcard_session';
export const PRE_SESSION_COOKIE = 'redcard_csrf';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether the request asks for JSON (API routes and fetch calls) rather than a page. */
export function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
}

/**
 * Resolve who is asking: a Bearer API token (`Authorization: Bearer rc_…`) or the session cookie. A bad token is
 * rejected outright (401) rather than falling back to the cookie. Anonymous visitors get a pre-session CSRF cookie
 * for the login and invite forms.
 */
export function identify(context: ServeContext): MiddlewareHandler<ServeEnv> {
  return async (c, next) => {
    c.set('account', undefined);
    c.set('auth', 'none');
    c.set('sessionToken', undefined);
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const account = match ? accountForApiToken(context.db, match[1]) : undefined;
      if (account === undefined) return c.json({ error: 'invalid API token' }, 401);
      c.set('account', account);
      c.set('auth', 'token');
      c.set('csrfToken', '');
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? resumeSession(context.db, cookie) : undefined;
    if (session !== undefined) {
      c.set('account', session.account);
      c.set('auth', 'session');
      c.set('csrfToken', session.csrfToken);
      c.set('sessionToken', cookie);
      return next();
    }
    let pre = getCookie(c, PRE_SESSION_COOKIE) ?? '';
    if (pre.length < 20 && !c.req.path.startsWith('/api/')) {
      pre = newSecret();
      setCookie(c, PRE_SESSION_COOKIE, pre, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
    c.set('csrfToken', pre);
    return next();
  };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** The CSRF token a request carries: the `x-csrf-token` header, else the `_csrf` form field. */
async function presentedCsrf(c: Context<ServeEnv>): Promise<string> {
  const header = c.req.header('x-csrf-token');
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const body = await c.req.parseBody();
    return typeof body._csrf === 'string' ? body._csrf : '';
  }
  return '';
}

/** Why a state-changing request is refused as a possible forgery, or undefined when it is fine. */
async function csrfProblem(c: Context<ServeEnv>): Promise<string | undefined> {
  if (!STATE_CHANGING.has(c.req.method) || c.get('auth') === 'token') return undefined;
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== 'null' && origin !== new URL(c.req.url).origin) return `cross-origin request from ${origin} refused`;
  if (!sameSecret(await presentedCsrf(c), c.get('csrfToken'))) return 'missing or wrong CSRF token (reload the page and try again)';
  return undefined;
}

/**
 * Guard a route: 401 without a session or token, 403 for a state-changing request without the right CSRF token
 * (sessions only: API tokens are not sent by browsers on their own), 403 for a role that may not use it.
 *
 * @example
 * app.post('/api/tasks', guard(context, ['admin']), handler);
 */
export function guard(roles?: readonly Role[]): MiddlewareHandler<ServeEnv> {
  return async (c, next) => {
    const account = c.get('account');
    if (account === undefined) return unauthenticated(c);
    const problem = await csrfProblem(c);
    if (problem) return refuse(c, 403, problem);
    if (roles !== undefined && !roles.includes(account.role)) return refuse(c, 403, `this needs the ${roles.join(' or ')} role; you are ${account.role}`);
    return next();
  };
}

/** CSRF check for the forms anonymous visitors post (login, invite): the pre-session cookie and field must match. */
export function anonymousForm(): MiddlewareHandler<ServeEnv> {
  return async (c, next) => {
    const problem = await csrfProblem(c);
    if (problem) return refuse(c, 403, problem);
    return next();
  };
}

function unauthenticated(c: Context<ServeEnv>): Response {
  if (wantsJson(c)) return c.json({ error: 'sign in or send an API token (Authorization: Bearer …)' }, 401);
  return loginPage(c, { next: c.req.path }, 401);
}

/** A refusal as JSON for API calls, a short page otherwise. */
export function refuse(c: Context<ServeEnv>, status: 400 | 403 | 404 | 409 | 429, message: string): Response {
  if (wantsJson(c)) return c.json({ error: message }, status);
  return c.html(`<!doctype html><meta charset="utf-8"><title>${status}</title><link rel="stylesheet" href="/static/app.css"><main class="narrow"><h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back</a></p></main>`, status);
}
