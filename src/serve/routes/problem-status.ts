import type { Context } from 'hono';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import { refuse } from '../app/auth-middleware.js';
import type { ServeEnv } from '../app/serve-context.js';
import { AccountError } from '../db/accounts.js';
import { LabelRefusedError } from '../db/labels.js';

/**
 * The JSON refusal for an error a route's action may throw on bad input: a bad value (400), a label the account may
 * not give (403), something that does not exist (404); undefined for anything else, which the route rethrows.
 *
 * @example
 * try { … } catch (error) { const refused = problemStatus(c, error); if (refused) return refused; throw error; }
 */
export function problemStatus(c: Context<ServeEnv>, error: unknown): Response | undefined {
  if (error instanceof ConfigError || error instanceof AccountError) return refuse(c, 400, error.message);
  if (error instanceof LabelRefusedError) return refuse(c, 403, error.message);
  if (error instanceof NotFoundError) return refuse(c, 404, error.message);
  return undefined;
}
