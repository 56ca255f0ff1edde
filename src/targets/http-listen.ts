import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedcardError } from '../spec/errors.js';

const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use (another server is listening there)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'this machine has no such address',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** A server could not start listening; `errno` is the system's code (`EADDRINUSE`…). */
export class ListenError extends RedcardError {
  readonly errno?: string;
  constructor(message: string, errno?: string, cause?: unknown) {
    super('listen', message, { cause });
    this.name = 'ListenError';
    this.errno = errno;
  }
}

/**
 * Start listening (port 0 picks a free port) and return the `/v1` base URL plus a close that also ends keep-alive sockets.
 * A port in use, a privileged port or a bad address is a ListenError with one line naming host, port and reason.
 *
 * @example
 * const { url, close } = await listen(http.createServer(handler), '127.0.0.1', 0);
 */
export async function listen(server: http.Server, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  server.keepAliveTimeout = 30_000;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ListenError(`cannot listen on ${host}:${port}: a port is a whole number from 0 to 65535`);
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void => {
      const reason = LISTEN_REASONS[error.code ?? ''] ?? error.message;
      reject(new ListenError(`cannot listen on ${host}:${port}: ${reason}${error.code ? ` (${error.code})` : ''}`, error.code, error));
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Read a request's whole body as text. */
export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Parse JSON, or undefined when the text is not JSON. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
