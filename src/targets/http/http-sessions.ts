import { createHash } from 'node:crypto';
import type { Message } from '../../spec/message.js';

/** What an application remembers of one conversation: its conversation id and the cookies it set. */
export interface HttpSession {
  id: string | null;
  cookies: Map<string, string>;
}

function historyKey(sample: number, messages: readonly Message[]): string {
  const hash = createHash('sha256');
  hash.update(String(sample));
  for (const message of messages) hash.update(`\u0000${message.role}\u0001${message.content}`);
  return hash.digest('base64url');
}

/**
 * The sessions of conversations in progress, found by their history: a turn whose earlier messages are exactly a
 * conversation the application has answered continues that conversation's session; any other turn opens a new one.
 * A session is taken when a turn continues it, so two continuations of one history never share it (the second opens
 * a fresh session). At most `capacity` sessions are kept (the oldest are forgotten).
 *
 * @example
 * const sessions = new HttpSessions();
 * const session = sessions.take(0, [{ role: 'user', content: 'hi' }]); // new
 * sessions.keep(0, [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], session);
 */
export class HttpSessions {
  readonly #sessions = new Map<string, HttpSession>();

  constructor(readonly capacity = 10_000) {}

  /** The session of the conversation this turn continues (`messages` ends with the new user turn), or a new one. */
  take(sample: number, messages: readonly Message[]): HttpSession {
    if (messages.length > 1) {
      const key = historyKey(sample, messages.slice(0, -1));
      const found = this.#sessions.get(key);
      if (found !== undefined) {
        this.#sessions.delete(key);
        return found;
      }
    }
    return { id: null, cookies: new Map() };
  }

  /** Remember the session under the conversation as it now stands (the turn and the application's answer). */
  keep(sample: number, conversation: readonly Message[], session: HttpSession): void {
    this.#sessions.set(historyKey(sample, conversation), session);
    if (this.#sessions.size > this.capacity) this.#sessions.delete(this.#sessions.keys().next().value as string);
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/**
 * Apply `Set-Cookie` headers to a session's cookies: `name=value` before the first `;` is kept; a cookie with
 * `Max-Age=0` (or a negative one) or an `Expires` in the past is removed. Domain and path are not checked: the
 * session talks to one application.
 *
 * @example
 * applySetCookie(session.cookies, ['sid=abc; Path=/; HttpOnly']);
 */
export function applySetCookie(cookies: Map<string, string>, header: string | string[] | undefined, nowMs = Date.now()): void {
  for (const line of header === undefined ? [] : Array.isArray(header) ? header : [header]) {
    const [pair, ...attributes] = line.split(';');
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key, raw = ''] = attribute.split('=').map((part) => part.trim());
      if (key.toLowerCase() === 'max-age') return Number(raw) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(raw) <= nowMs;
      return false;
    });
    if (expired) cookies.delete(name);
    else cookies.set(name, value);
  }
}

/** The `Cookie` header for a session's cookies, or undefined when it has none. */
export function cookieHeader(cookies: Map<string, string>): string | undefined {
  if (cookies.size === 0) return undefined;
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
