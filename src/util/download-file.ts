import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, existsSync, openSync, closeSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { AbortedError, DatasetError, RedcardError } from '../spec/errors.js';

/** How to download one file. */
export interface DownloadOptions {
  /** Expected sha256 (lower-case hex). When absent, `sha256FromHeaders` may name one; else the file is not verified. */
  sha256?: string;
  /** Read an expected sha256 from the response headers (every response of the redirect chain, first to last). */
  sha256FromHeaders?: (chain: IncomingHttpHeaders[]) => string | undefined;
  /** Headers sent to the first URL's origin only (an access token never follows a redirect to another host). */
  headers?: Record<string, string>;
  /** Keep a partial download as `TARGET.part` and continue it with a Range request next time (one download at a time). */
  resume?: boolean;
  /** Per-request inactivity timeout (default 30 s). */
  timeoutMs?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  userAgent?: string;
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  signal?: AbortSignal;
}

/** What a finished download was. */
export interface DownloadResult {
  bytes: number;
  sha256: string;
  /** True when the hash was checked against an expected one. */
  verified: boolean;
  /** Bytes kept from an earlier partial download (0 when it started afresh). */
  resumedFrom: number;
  /** Headers of every response of the redirect chain, first to last. */
  headerChain: IncomingHttpHeaders[];
}

/**
 * sha256 (hex) and size of a file on disk.
 *
 * @example
 * const { sha256, bytes } = await hashFile('model.gguf');
 */
export async function hashFile(path: string, hash: Hash = createHash('sha256')): Promise<{ sha256: string; bytes: number }> {
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A download answered with an HTTP status other than 200/206 (after redirects). */
export class HttpStatusError extends RedcardError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('download', message);
    this.name = 'HttpStatusError';
  }
}

interface Fetched {
  response: IncomingMessage;
  headerChain: IncomingHttpHeaders[];
}

/** GET a URL, following redirects; resolves with the final 200 or 206 response and every response's headers. */
function fetchFollowing(url: string, options: DownloadOptions & { range?: number }): Promise<Fetched> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const origin = new URL(url).origin;
  const headerChain: IncomingHttpHeaders[] = [];
  return new Promise((resolve, reject) => {
    const follow = (current: string, redirectsLeft: number): void => {
      const parsed = new URL(current);
      const getter = parsed.protocol === 'https:' ? httpsGet : parsed.protocol === 'http:' ? httpGet : undefined;
      if (getter === undefined) {
        reject(new RedcardError('download', `unsupported protocol in ${current}`));
        return;
      }
      const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'redcard', ...(parsed.origin === origin ? options.headers : {}) };
      if (options.range !== undefined && options.range > 0) headers.range = `bytes=${options.range}-`;
      const client = getter(parsed, { signal: options.signal, headers }, (response) => {
        const status = response.statusCode ?? 0;
        headerChain.push(response.headers);
        if ([301, 302, 303, 307, 308].includes(status) && response.headers.location) {
          response.resume();
          if (redirectsLeft <= 0) {
            reject(new RedcardError('download', `too many redirects fetching ${url}`));
            return;
          }
          follow(new URL(response.headers.location, current).toString(), redirectsLeft - 1);
          return;
        }
        if (status !== 200 && status !== 206) {
          response.resume();
          const hint = status === 401 || status === 403 ? ' (a gated or private file needs an access token)' : '';
          reject(new HttpStatusError(status, `HTTP ${status} fetching ${current}${hint}`));
          return;
        }
        resolve({ response, headerChain });
      });
      client.setTimeout(timeoutMs, () => {
        client.destroy(new RedcardError('download', `timed out after ${timeoutMs} ms fetching ${current}`));
      });
      client.on('error', (error) => {
        if (options.signal?.aborted) reject(new AbortedError());
        else reject(error instanceof RedcardError ? error : new RedcardError('download', `cannot fetch ${current}: ${error.message}`, { cause: error }));
      });
    };
    follow(url, options.maxRedirects ?? 5);
  });
}

/** Take the lock of a resumable download (a file holding our pid); a lock left by a dead process is taken over. */
function takeLock(lockPath: string, target: string): () => void {
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      const descriptor = openSync(lockPath, 'wx');
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      let alive = false;
      try {
        alive = Number.isInteger(owner) && owner > 0 && owner !== process.pid && process.kill(owner, 0);
      } catch {
        alive = false;
      }
      if (alive) throw new RedcardError('download', `another redcard process (pid ${owner}) is downloading ${target}; wait for it, or remove ${lockPath} if it is gone`);
      rmSync(lockPath, { force: true });
    }
  }
  throw new RedcardError('download', `cannot lock ${lockPath}`);
}

/**
 * Download `url` to `target`: into a temp file beside it, whose sha256 is checked before it is renamed into place, so
 * a failed or mismatching download never leaves a file at `target`. With `resume`, the partial file (`TARGET.part`)
 * survives a broken connection and the next download continues it with a Range request (a server that ignores the
 * range starts it again); a checksum mismatch removes it.
 *
 * @example
 * const result = await downloadFile('https://example.org/data.csv', 'cache/data.csv', { sha256: '4f…' });
 */
export async function downloadFile(url: string, target: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const temporary = options.resume ? `${target}.part` : `${target}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  const unlock = options.resume ? takeLock(`${target}.lock`, target) : () => undefined;
  let keepPartial = false;
  try {
    let existing = options.resume && existsSync(temporary) ? statSync(temporary).size : 0;
    let fetched: Fetched;
    try {
      fetched = await fetchFollowing(url, { ...options, range: existing });
    } catch (error) {
      if (!(error instanceof HttpStatusError && error.status === 416 && existing > 0)) throw error;
      existing = 0; // the part no longer fits the file (it changed, or was complete): start again
      rmSync(temporary, { force: true });
      fetched = await fetchFollowing(url, options);
    }
    const { response, headerChain } = fetched;
    const hash = createHash('sha256');
    if (response.statusCode === 206 && existing > 0) {
      for await (const chunk of createReadStream(temporary)) hash.update(chunk as Buffer);
    } else {
      existing = 0;
    }
    const length = Number(response.headers['content-length']);
    const total = Number.isFinite(length) && response.headers['content-length'] !== undefined ? existing + length : undefined;
    let received = existing;
    keepPartial = options.resume === true;
    // Written synchronously as it arrives: when the connection breaks, every byte received is on disk for the resume.
    const descriptor = openSync(temporary, existing > 0 ? 'a' : 'w');
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        hash.update(chunk);
        for (let offset = 0; offset < chunk.length; ) offset += writeSync(descriptor, chunk, offset, chunk.length - offset);
        received += chunk.length;
        options.onProgress?.(received, total);
      }
    } catch (error) {
      if (options.signal?.aborted) throw new AbortedError();
      if (error instanceof RedcardError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error).message === 'aborted') {
        throw new RedcardError('download', `connection closed while fetching ${url} after ${received} bytes${options.resume ? ' (run it again to continue)' : ''}`);
      }
      throw error;
    } finally {
      closeSync(descriptor);
    }
    if (total !== undefined && received !== total) {
      throw new RedcardError('download', `incomplete download of ${url}: ${received} of ${total} bytes${options.resume ? ' (run it again to continue)' : ''}`);
    }
    const actual = hash.digest('hex');
    const expected = options.sha256 ?? options.sha256FromHeaders?.(headerChain);
    if (expected !== undefined && actual !== expected.toLowerCase()) {
      keepPartial = false;
      throw new DatasetError(`sha256 mismatch: expected ${expected.toLowerCase()}, got ${actual}; the file was not saved`, url);
    }
    renameSync(temporary, target);
    keepPartial = false;
    return { bytes: received, sha256: actual, verified: expected !== undefined, resumedFrom: existing, headerChain };
  } finally {
    if (!keepPartial) rmSync(temporary, { force: true });
    unlock();
  }
}
