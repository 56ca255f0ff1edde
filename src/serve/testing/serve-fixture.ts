import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type RunningServe, type ServeOptions } from '../start-serve.js';
import { ServeClient } from './serve-client.js';

/** A running app on a fresh store in a temporary directory, with its admin signed in. */
export interface ServeFixture {
  app: RunningServe;
  directory: string;
  dbPath: string;
  admin: ServeClient;
  /** Invite and sign up a new account with this role; returns its signed-in client. */
  join(role: 'admin' | 'red-teamer' | 'annotator', username: string): Promise<ServeClient>;
  close(): Promise<void>;
}

/** The password every test account uses (long enough for the policy). */
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Start `redcard serve` on 127.0.0.1 port 0 over a temporary store and sign up its first admin.
 *
 * @example
 * const fixture = await startServeFixture();
 * const annotator = await fixture.join('annotator', 'ann');
 * await fixture.close();
 */
export async function startServeFixture(options: Partial<ServeOptions> = {}): Promise<ServeFixture> {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-serve-'));
  const dbPath = options.dbPath ?? join(directory, 'redcard.db');
  const errors: unknown[] = [];
  const app = await startServe({ port: 0, ...options, dbPath, onError: (error) => errors.push(error) });
  const admin = new ServeClient(app.url);
  await admin.signUp(app.adminInvite!, 'root', TEST_PASSWORD);
  return {
    app,
    directory,
    dbPath,
    admin,
    async join(role, username) {
      const client = new ServeClient(app.url);
      await client.signUp(await admin.invite(role), username, TEST_PASSWORD);
      return client;
    },
    async close() {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`the app reported errors: ${errors.map((error) => (error as Error).stack ?? String(error)).join('\n')}`);
    },
  };
}

/**
 * Read a server-sent-events body into its events.
 *
 * @example
 * const events = await readServerSentEvents(response); // [{ event: 'delta', data: { text: 'Hi' } }, …]
 */
export async function readServerSentEvents(response: Response): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      return { event, data: data ? (JSON.parse(data) as Record<string, unknown>) : {} };
    });
}
