import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../spec/errors.js';
import { cachedModelPath, defaultModelCache, parseHfReference, readPulledRecord } from './gguf-cache.js';
import { readGgufHeader } from './gguf-header.js';

/** A GGUF file found for a target: where it is, its size, and its sha256 when the model cache recorded one. */
export interface GgufFile {
  path: string;
  bytes: number;
  sha256?: string;
}

/**
 * Find the GGUF file a `llama` target names: a path (relative to `cwd`), or `hf:OWNER/REPO/FILE.gguf` in the model
 * cache. A missing file, one not pulled yet, or a file that is not GGUF is a ConfigError naming `target.file`.
 *
 * @example
 * resolveGgufFile('models/tiny.gguf', { cwd: process.cwd(), env: process.env }).path
 */
export function resolveGgufFile(file: string | undefined, where: { cwd: string; env: NodeJS.ProcessEnv }): GgufFile {
  const field = 'target.file';
  if (file === undefined || file.trim() === '') {
    throw new ConfigError("the llama target needs a GGUF file ('llama:FILE.gguf' or 'llama:hf:OWNER/REPO/FILE.gguf')", { field });
  }
  let path: string;
  if (file.startsWith('hf:')) {
    path = cachedModelPath(defaultModelCache(where.env), parseHfReference(file, field));
    if (readPulledRecord(path) === undefined) throw new ConfigError(`${file} is not in the model cache yet: redcard model pull ${file}`, { field });
  } else {
    path = resolve(where.cwd, file);
  }
  let bytes: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new ConfigError(`${path} is not a file`, { field });
    bytes = stats.size;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`GGUF file not found: ${path}`, { field });
  }
  try {
    readGgufHeader(path);
  } catch (error) {
    throw new ConfigError((error as Error).message, { field });
  }
  return { path, bytes, sha256: readPulledRecord(path)?.sha256 };
}
