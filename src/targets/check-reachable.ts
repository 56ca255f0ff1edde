import { connect } from 'node:net';
import { TargetError } from '../spec/errors.js';

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running?)',
  ENOTFOUND: 'host not found (check the URL)',
  EAI_AGAIN: 'host name lookup failed (check the URL and your network)',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
};

/**
 * Open and close one TCP connection to a base URL's host and port, so that a scan against a server that is not
 * there fails at once with a clear message instead of after every request's retries.
 *
 * @example
 * await checkReachable('http://127.0.0.1:11434/v1');
 */
export async function checkReachable(baseUrl: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    const fail = (code: string, detail: string): void => {
      socket.destroy();
      reject(new TargetError(`cannot reach ${url.href}: ${REASONS[code] ?? detail}`, { retryable: false }));
    };
    socket.setTimeout(timeoutMs, () => fail('ETIMEDOUT', 'timed out'));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? '', error.message));
  });
}
