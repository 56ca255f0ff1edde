import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AbortedError, ConfigError, DatasetError } from '../../spec/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { downloadFile } from '../../util/download-file.js';
import { safeJoin } from '../../util/safe-path.js';
import { readGgufHeader } from './gguf-header.js';

/** A GGUF file in a Hugging Face repository: `hf:OWNER/REPO/PATH.gguf`, optionally `hf:OWNER/REPO@REVISION/PATH.gguf`. */
export interface HfReference {
  owner: string;
  repo: string;
  /** Branch, tag or commit (default `main`). */
  revision: string;
  /** Path of the file inside the repository (`/`-separated plain names). */
  file: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Parse `hf:OWNER/REPO/PATH.gguf` (or `hf:OWNER/REPO@REVISION/PATH.gguf`). Every part must be a plain name, and the
 * file must end in `.gguf`; otherwise a ConfigError names `field`.
 *
 * @example
 * parseHfReference('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf')
 * // { owner: 'Qwen', repo: 'Qwen2.5-0.5B-Instruct-GGUF', revision: 'main', file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf' }
 */
export function parseHfReference(reference: string, field = 'model'): HfReference {
  const text = reference.trim();
  if (!text.startsWith('hf:')) throw new ConfigError(`'${reference}' is not a Hugging Face reference (expected hf:OWNER/REPO/FILE.gguf)`, { field });
  const [owner, repoPart, ...fileParts] = text.slice(3).split('/');
  const [repo, revision = 'main', ...extra] = (repoPart ?? '').split('@');
  const parts = [owner, repo, revision, ...fileParts];
  if (owner === undefined || repo === undefined || fileParts.length === 0 || extra.length > 0 || parts.some((part) => part === undefined || !NAME.test(part))) {
    throw new ConfigError(`'${reference}' is not hf:OWNER/REPO/FILE.gguf (owner, repository, revision and file are plain names: letters, digits, '.', '_', '-')`, { field });
  }
  const file = fileParts.join('/');
  if (!/\.gguf$/i.test(file)) throw new ConfigError(`'${reference}': the file must be a .gguf file`, { field });
  return { owner, repo, revision, file };
}

/** The `hf:` text of a reference (revision shown only when it is not `main`). */
export function formatHfReference(reference: HfReference): string {
  return `hf:${reference.owner}/${reference.repo}${reference.revision === 'main' ? '' : `@${reference.revision}`}/${reference.file}`;
}

/**
 * The model cache: `REDCARD_MODEL_CACHE` when set, else `~/.cache/redcard/models`.
 *
 * @example
 * defaultModelCache(process.env)
 */
export function defaultModelCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDCARD_MODEL_CACHE ? env.REDCARD_MODEL_CACHE : join(homedir(), '.cache', 'redcard', 'models');
}

/** Where a reference lives in the cache: `<cache>/hf/OWNER/REPO/REVISION/PATH`. */
export function cachedModelPath(cacheDir: string, reference: HfReference): string {
  let path = safeJoin(join(cacheDir, 'hf'), reference.owner);
  for (const part of [reference.repo, reference.revision, ...reference.file.split('/')]) path = safeJoin(path, part);
  return path;
}

/** What the cache records beside a pulled file (`FILE.gguf.json`), version 1. */
export const PulledModelRecordSchema = z.object({
  schemaVersion: z.literal(1),
  /** The `hf:` reference it was pulled as. */
  source: z.string(),
  /** The URL it was downloaded from. */
  url: z.string(),
  /** sha256 of the file, lower-case hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
  /** True when the hash was checked against one the user or the hub gave; false when it was only recorded. */
  verified: z.boolean(),
  /** The repository commit the hub reported, when it did. */
  commit: z.string().optional(),
  pulledAt: z.string(),
});
export type PulledModelRecord = z.infer<typeof PulledModelRecordSchema>;

/** The record beside a cached file, or undefined when there is none or it does not describe the file as it is. */
export function readPulledRecord(path: string): PulledModelRecord | undefined {
  try {
    const record = PulledModelRecordSchema.parse(JSON.parse(readFileSync(`${path}.json`, 'utf8')));
    return statSync(path).size === record.bytes ? record : undefined;
  } catch {
    return undefined;
  }
}

/** What `pullModel` reports while it works; the CLI renders these. */
export type ModelPullEvent =
  | { type: 'cached'; path: string }
  | { type: 'download'; url: string; resumingFrom: number }
  | { type: 'progress'; receivedBytes: number; totalBytes?: number }
  | { type: 'unverified'; sha256: string }
  | { type: 'saved'; path: string; bytes: number; sha256: string };

export interface ModelPullOptions {
  cacheDir: string;
  /** Expected sha256; else the hub's (`X-Linked-Etag`), else the hash is recorded unverified. */
  sha256?: string;
  /** Download again even when the cache has it. */
  force?: boolean;
  /** `HF_ENDPOINT` (the hub's URL, default https://huggingface.co) and `HF_TOKEN` (for gated or private repositories). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onEvent?: (event: ModelPullEvent) => void;
  signal?: AbortSignal;
}

export interface ModelPullResult {
  path: string;
  record: PulledModelRecord;
  status: 'cached' | 'downloaded';
}

/** A sha256 the hub sent for the file: its `X-Linked-Etag` (LFS files) or `ETag`, when either is 64 hex digits. */
export function hubSha256(chain: IncomingHttpHeaders[]): string | undefined {
  for (const headers of chain) {
    for (const name of ['x-linked-etag', 'etag']) {
      const raw = headers[name];
      const value = (Array.isArray(raw) ? raw[0] : raw)?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
      if (value !== undefined && /^[0-9a-f]{64}$/.test(value)) return value;
    }
  }
  return undefined;
}

/**
 * Download a GGUF from a Hugging Face repository into the model cache, checking its sha256 (given, or the hub's), and
 * record it beside the file. A broken download is continued by the next pull; a checksum mismatch or a file that is
 * not GGUF leaves no file. A valid cached copy is kept (unless `force`).
 *
 * @example
 * const pulled = await pullModel('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf', { cacheDir: defaultModelCache() });
 * // --target llama:hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf
 */
export async function pullModel(text: string, options: ModelPullOptions): Promise<ModelPullResult> {
  const reference = parseHfReference(text);
  if (options.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.sha256)) {
    throw new ConfigError('a sha256 is 64 hex digits', { field: 'sha256' });
  }
  const expected = options.sha256?.toLowerCase();
  const env = options.env ?? process.env;
  const path = cachedModelPath(options.cacheDir, reference);
  const present = existsSync(path) ? readPulledRecord(path) : undefined;
  if (!options.force && present !== undefined && (expected === undefined || present.sha256 === expected)) {
    options.onEvent?.({ type: 'cached', path });
    return { path, record: present, status: 'cached' };
  }
  if (options.signal?.aborted) throw new AbortedError();
  mkdirSync(dirname(path), { recursive: true });
  const endpoint = (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
  const url = `${endpoint}/${reference.owner}/${reference.repo}/resolve/${encodeURIComponent(reference.revision)}/${reference.file.split('/').map(encodeURIComponent).join('/')}`;
  const partial = existsSync(`${path}.part`) ? statSync(`${path}.part`).size : 0;
  options.onEvent?.({ type: 'download', url, resumingFrom: partial });
  rmSync(`${path}.json`, { force: true });
  const result = await downloadFile(url, path, {
    sha256: expected,
    sha256FromHeaders: hubSha256,
    headers: env.HF_TOKEN ? { authorization: `Bearer ${env.HF_TOKEN}` } : {},
    resume: true,
    timeoutMs: options.timeoutMs,
    userAgent: 'redcard-model-pull',
    signal: options.signal,
    onProgress: (receivedBytes, totalBytes) => options.onEvent?.({ type: 'progress', receivedBytes, totalBytes }),
  });
  try {
    readGgufHeader(path);
  } catch (error) {
    rmSync(path, { force: true });
    throw new DatasetError(`${(error as Error).message}; the file was not kept`, url);
  }
  if (!result.verified) options.onEvent?.({ type: 'unverified', sha256: result.sha256 });
  const commit = result.headerChain.map((headers) => headers['x-repo-commit']).find((value): value is string => typeof value === 'string');
  const record: PulledModelRecord = {
    schemaVersion: 1,
    source: formatHfReference(reference),
    url,
    sha256: result.sha256,
    bytes: result.bytes,
    verified: result.verified,
    ...(commit === undefined ? {} : { commit }),
    pulledAt: new Date().toISOString(),
  };
  writeFileAtomic(`${path}.json`, `${JSON.stringify(record, null, 2)}\n`);
  options.onEvent?.({ type: 'saved', path, bytes: result.bytes, sha256: result.sha256 });
  return { path, record, status: 'downloaded' };
}
