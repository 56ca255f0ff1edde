/**
 * A small HTTP client for tests of `redcard serve`: keeps cookies like a browser, reads the CSRF token from pages,
 * and signs up through invite links. Talks to the app over real HTTP on 127.0.0.1.
 *
 * @example
 * const admin = new ServeClient(app.url);
 * await admin.signUp(app.adminInvite!, 'root', 'a long password');
 * const runs = await admin.json('GET', '/api/runs');
 */
export class ServeClient {
  readonly #cookies = new Map<string, string>();
  csrfToken = '';

  constructor(readonly baseUrl: string) {}

  /** Send a request with the cookie jar; `Set-Cookie` answers update it. Redirects are not followed. */
  async request(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body: options.body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  /** GET a page and remember its CSRF token (from `<meta name="csrf-token">`). */
  async page(path: string): Promise<{ status: number; text: string }> {
    const response = await this.request('GET', path, { headers: { accept: 'text/html' } });
    const text = await response.text();
    const match = /<meta name="csrf-token" content="([^"]*)">/.exec(text);
    if (match) this.csrfToken = match[1];
    return { status: response.status, text };
  }

  /** POST a form with the remembered CSRF token (unless `csrf: false`). */
  async form(path: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const entry of Array.isArray(value) ? value : [value]) body.append(name, entry);
    if (options.csrf !== false) body.set('_csrf', this.csrfToken);
    return this.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** A JSON API call with the CSRF header (unless `csrf: false`) and optional Bearer token; returns status and parsed body. */
  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown, options: { csrf?: boolean; token?: string } = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.csrf !== false && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await this.request(method, path, { body: body === undefined ? undefined : JSON.stringify(body), headers });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  /** Accept an invite link: create the account and keep its session. */
  async signUp(inviteLink: string, username: string, password: string): Promise<void> {
    const path = new URL(inviteLink).pathname;
    await this.page(path);
    const response = await this.form(path, { username, password });
    if (response.status !== 303) throw new Error(`sign-up of ${username} failed: HTTP ${response.status} ${await response.text()}`);
    await this.page('/');
  }

  /** Create an invite as this (admin) account; returns the link. */
  async invite(role: string): Promise<string> {
    const { status, body } = await this.json<{ link: string }>('POST', '/api/invites', { role });
    if (status !== 201) throw new Error(`invite failed: HTTP ${status} ${JSON.stringify(body)}`);
    return body.link;
  }

  /** Issue an API token for this account (through the account page). */
  async apiToken(): Promise<string> {
    await this.page('/account');
    const response = await this.form('/account/token', { action: 'issue' });
    const match = /value="(rc_[^"]+)"/.exec(await response.text());
    if (!match?.[1]) throw new Error('no API token on the account page');
    return match[1];
  }
}
