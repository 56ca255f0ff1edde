import type { Context } from 'hono';
import type { ServeEnv } from '../app/serve-context.js';
import type { SafeHtml } from './html.js';
import { layout, type PageFrame } from './layout.js';

/**
 * Send a full page for the signed-in (or anonymous) visitor of this request.
 *
 * @example
 * return renderPage(c, { title: 'Runs', section: 'runs' }, html`<h1>Runs</h1>`);
 */
export function renderPage(
  c: Context<ServeEnv>,
  frame: Omit<PageFrame, 'account' | 'csrfToken'>,
  content: SafeHtml,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 429 = 200,
): Response {
  const page = layout({ ...frame, account: c.get('account'), csrfToken: c.get('csrfToken') }, content);
  return c.html(page.value, status);
}
