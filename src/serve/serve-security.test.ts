import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServeClient } from './testing/serve-client.js';
import { readServerSentEvents, startServeFixture, TEST_PASSWORD } from './testing/serve-fixture.js';

test('serve security: 401 without a session or token, 403 without CSRF or from another origin, 403 for the wrong role, security headers', async () => {
  // scrypt N = 2^14 keeps the many sign-ups of this test quick; password-hash.test.ts checks the default cost.
  const fixture = await startServeFixture({ modelCallsPerMinute: 2, scryptN: 2 ** 14 });
  try {
    const { app, admin } = fixture;
    const anonymous = new ServeClient(app.url);
    // No session, no token: 401 for reads and writes, as JSON for the API and as the sign-in page for pages.
    assert.equal((await anonymous.json('GET', '/api/runs')).status, 401);
    assert.equal((await anonymous.json('POST', '/api/tasks/1/next', {})).status, 401);
    assert.equal((await anonymous.json('POST', '/api/items/1/labels', { harmful: true })).status, 401);
    assert.equal((await anonymous.json('POST', '/api/conversations/1/flags', { messageId: 1 })).status, 401);
    const loginPage = await anonymous.page('/runs');
    assert.equal(loginPage.status, 401);
    assert.match(loginPage.text, /Sign in to redcard/);
    assert.equal((await anonymous.json('GET', '/api/runs', undefined, { token: 'rc_not-a-token' })).status, 401);

    const redTeamer = await fixture.join('red-teamer', 'rita');
    const annotator = await fixture.join('annotator', 'anna');
    assert.equal((await admin.json('GET', '/api/runs')).status, 200);

    // A state-changing request with a session but without the CSRF token: 403 (API header and form field alike).
    assert.equal((await admin.json('POST', '/api/invites', { role: 'annotator' }, { csrf: false })).status, 403);
    assert.equal((await admin.form('/admin/invites', { role: 'annotator' }, { csrf: false })).status, 403);
    assert.equal((await redTeamer.json('POST', '/api/conversations', { target: 'sim', hazard: 'vcr' }, { csrf: false })).status, 403);
    const wrong = await admin.request('POST', '/api/invites', { body: JSON.stringify({ role: 'annotator' }), headers: { 'content-type': 'application/json', 'x-csrf-token': 'forged' } });
    assert.equal(wrong.status, 403);
    // The right token from another origin is still refused.
    const crossOrigin = await admin.request('POST', '/api/invites', { body: JSON.stringify({ role: 'annotator' }), headers: { 'content-type': 'application/json', 'x-csrf-token': admin.csrfToken, origin: 'http://evil.example' } });
    assert.equal(crossOrigin.status, 403);
    // The login form itself carries a CSRF token.
    const stranger = new ServeClient(app.url);
    await stranger.page('/login');
    assert.equal((await stranger.form('/login', { username: 'root', password: TEST_PASSWORD }, { csrf: false })).status, 403);

    // Roles: a red-teamer cannot reach admin routes or the label queue; an annotator cannot chat.
    for (const path of ['/api/accounts', '/api/tasks/1/disagreements']) {
      assert.equal((await redTeamer.json('GET', path)).status, 403, `GET ${path} as red-teamer`);
    }
    for (const path of ['/api/invites', '/api/tasks', '/api/items/1/adjudication', '/api/tasks/1/next']) {
      assert.equal((await redTeamer.json('POST', path, {})).status, 403, `POST ${path} as red-teamer`);
    }
    assert.equal((await redTeamer.page('/admin')).status, 403);
    assert.equal((await annotator.json('POST', '/api/conversations', { target: 'sim', hazard: 'vcr' })).status, 403);
    assert.equal((await annotator.json('POST', '/api/invites', { role: 'admin' })).status, 403);

    // API tokens: no CSRF needed (browsers never send them on their own), stored hashed, revocable.
    const token = await annotator.apiToken();
    const script = new ServeClient(app.url);
    assert.equal((await script.json('GET', '/api/runs', undefined, { token })).status, 200);
    const me = await script.json<{ account: { username: string } }>('GET', '/api/me', undefined, { token });
    assert.equal(me.body.account.username, 'anna');
    // The token is never stored in clear: only its SHA-256; passwords only as scrypt hashes with their parameters.
    const { openServeTablesReadonly } = await import('./db/serve-database.js');
    const db = openServeTablesReadonly(fixture.dbPath)!;
    const hashes = db.prepare('SELECT api_token_hash AS hash, password_hash AS password FROM serve_accounts').all() as Array<{ hash: string | null; password: string }>;
    db.close();
    assert.ok(hashes.every((row) => row.hash === null || (/^[0-9a-f]{64}$/.test(row.hash) && row.hash !== token)));
    assert.ok(hashes.every((row) => row.password.startsWith('scrypt$16384$8$1$')));

    // Invites are single use.
    const link = await admin.invite('annotator');
    await new ServeClient(app.url).signUp(link, 'first', TEST_PASSWORD);
    const late = new ServeClient(app.url);
    const reused = await late.page(new URL(link).pathname);
    assert.equal(reused.status, 404);
    assert.match(reused.text, /already been used/);

    // Sign-in attempts are limited per username.
    const guesser = new ServeClient(app.url);
    await guesser.page('/login');
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) statuses.push((await guesser.form('/login', { username: 'anna', password: `wrong guess ${index}` })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    assert.equal((await guesser.form('/login', { username: 'anna', password: TEST_PASSWORD })).status, 429, 'locked even with the right password until the window passes');

    // Model calls are limited per account (2 per minute here).
    const conversation = (await redTeamer.json<{ conversation: { id: number } }>('POST', '/api/conversations', { target: 'sim', hazard: 'vcr' })).body.conversation;
    const send = (content: string) =>
      redTeamer.request('POST', `/api/conversations/${conversation.id}/messages`, { body: JSON.stringify({ content }), headers: { 'content-type': 'application/json', 'x-csrf-token': redTeamer.csrfToken } });
    for (const content of ['Hello there', 'How do I pick a lock?']) {
      const response = await send(content);
      assert.equal(response.status, 200);
      const events = await readServerSentEvents(response);
      assert.equal(events.at(-1)?.event, 'done', JSON.stringify(events));
      assert.ok(events.some((event) => event.event === 'note' && /cannot stream/.test(String(event.data.text))), 'the sim says it cannot stream');
    }
    const limited = await send('one more');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);

    // Security headers on every page.
    const response = await admin.request('GET', '/runs');
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) assert.ok(csp.includes(directive), `CSP has ${directive}: ${csp}`);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]+<\/script>|\sstyle="|\son[a-z]+=/i, 'no inline script, style attribute or event handler');
    // The session cookie is HttpOnly and SameSite.
    const signIn = new ServeClient(app.url);
    await signIn.page('/login');
    const login = await signIn.form('/login', { username: 'root', password: TEST_PASSWORD });
    assert.equal(login.status, 303);
    const cookie = login.headers.getSetCookie().find((line) => line.startsWith('redcard_session=')) ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    // Signing out ends the session.
    await signIn.page('/');
    assert.equal((await signIn.form('/logout', {})).status, 303);
    assert.equal((await signIn.json('GET', '/api/runs')).status, 401);
  } finally {
    await fixture.close();
  }
});
