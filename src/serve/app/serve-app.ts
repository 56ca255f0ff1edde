import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { dataPath } from '../../util/paths.js';
import { identify, refuse, wantsJson } from './auth-middleware.js';
import type { ServeContext, ServeEnv } from './serve-context.js';
import { authRoutes } from '../routes/auth-routes.js';
import { runsRoutes } from '../routes/runs-routes.js';
import { chatRoutes } from '../routes/chat-routes.js';
import { queueRoutes } from '../routes/queue-routes.js';
import { adminRoutes } from '../routes/admin-routes.js';
import { communityRoutes } from '../routes/community-routes.js';

/**
 * The Content-Security-Policy of every page: only this origin's stylesheet and script, no inline code at all, no
 * request to any other origin, frames only from this origin (the embedded report), and no framing by others.
 */
export const APP_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/** Largest request body accepted (a chat message is at most 20 000 characters). */
export const MAX_BODY_BYTES = 256 * 1024;

const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/static/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/static/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
};

/** Something went wrong inside a route; the CLI prints it (the library never does). */
export type ServeErrorListener = (error: unknown, where: string) => void;

/**
 * The web app as a Hono application over the given stores: pages rendered on the server, the JSON API under
 * `/api/`, the app's own CSS and script from the package (no CDN; works offline).
 *
 * @example
 * const app = createServeApp(context);
 * const response = await app.request('/api/runs'); // 401 without a session or token
 */
export function createServeApp(context: ServeContext, onError: ServeErrorListener = () => undefined): Hono<ServeEnv> {
  const app = new Hono<ServeEnv>();
  const assets = Object.fromEntries(Object.entries(STATIC_FILES).map(([path, entry]) => [path, { body: readFileSync(dataPath('serve', entry.file), 'utf8'), type: entry.type }]));

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: APP_CSP,
      strictTransportSecurity: false,
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
      crossOriginOpenerPolicy: 'same-origin',
      // The sandboxed report frame cannot share the origin-keyed cluster; asking for it only earns a console warning.
      originAgentCluster: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
      overwrite: false,
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    if (!c.req.path.startsWith('/static/') && !c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `request body over ${MAX_BODY_BYTES} bytes` }, 413) }));

  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, (c) => c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=300' }));
  }
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.use('*', identify(context));
  authRoutes(app, context);
  communityRoutes(app, context);
  runsRoutes(app, context);
  chatRoutes(app, context);
  queueRoutes(app, context);
  adminRoutes(app, context);

  app.notFound((c) => (wantsJson(c) ? c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404) : refuse(c as never, 404, `no page at ${c.req.path}`)));
  app.onError((error, c) => {
    onError(error, `${c.req.method} ${c.req.path}`);
    return wantsJson(c) ? c.json({ error: 'internal error (see the server log)' }, 500) : c.html('<!doctype html><meta charset="utf-8"><title>500</title><p>Internal error (see the server log).</p>', 500);
  });
  return app;
}
