import type { Context } from 'hono';
import type { ServeEnv } from '../app/serve-context.js';
import { html } from './html.js';
import { csrfField } from './layout.js';
import { renderPage } from './render-page.js';

/** A local path to go back to after signing in (never another origin). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

/** The sign-in page; `status` 401 when it stands in for a protected page. */
export function loginPage(c: Context<ServeEnv>, options: { error?: string; next?: string; username?: string } = {}, status: 200 | 401 | 429 = 200): Response {
  return renderPage(
    c,
    { title: 'Sign in' },
    html`<section class="auth-card">
  <h1>Sign in to redcard</h1>
  <p class="muted">Community red-teaming and labelling. Accounts come from invite links.</p>
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
  <form method="post" action="/login" class="stack">
    ${csrfField(c.get('csrfToken'))}
    <input type="hidden" name="next" value="${safeNext(options.next)}">
    <label>Username <input name="username" autocomplete="username" required value="${options.username ?? ''}"></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit" class="button primary">Sign in</button>
  </form>
</section>`,
    status,
  );
}

