import { RedcardError } from '../spec/errors.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  EXDEV: 'cannot rename across file systems',
  ELOOP: 'too many symbolic links',
  EBUSY: 'resource busy',
};

/** A file could not be read or written; the message is one line naming the file, the reason and the errno code. */
export class FileSystemError extends RedcardError {
  readonly path: string;
  readonly errno?: string;
  constructor(message: string, path: string, errno?: string, cause?: unknown) {
    super('file-system', message, { cause });
    this.name = 'FileSystemError';
    this.path = path;
    this.errno = errno;
  }
}

/**
 * Whether `error` is a Node system error (an `Error` with an errno `code` such as `ENOSPC` and a `syscall`).
 *
 * @example
 * isSystemError(Object.assign(new Error('x'), { code: 'ENOSPC', syscall: 'write' })) // true
 */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((error as NodeJS.ErrnoException).code!) && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * A one-line reason for a system error: `no space left on device (ENOSPC)`; other errors give their message.
 *
 * @example
 * systemErrorReason(Object.assign(new Error('ENOSPC: …'), { code: 'ENOSPC', syscall: 'write' })) // 'no space left on device (ENOSPC)'
 */
export function systemErrorReason(error: unknown): string {
  if (!isSystemError(error)) return error instanceof Error ? error.message : String(error);
  const code = error.code!;
  return `${REASONS[code] ?? error.message.replace(/^E[A-Z0-9]+:\s*/, '').replace(/,\s*\w+\s+'.*'$/, '')} (${code})`;
}

/**
 * Wrap a failure to `verb` (`write`, `read`, `create`) `path` as a FileSystemError with a one-line message.
 *
 * @example
 * throw fileSystemError('write', 'out/report.html', error) // "cannot write out/report.html: no space left on device (ENOSPC)"
 */
export function fileSystemError(verb: string, path: string, error: unknown, note = ''): FileSystemError {
  if (error instanceof FileSystemError) return error;
  const code = isSystemError(error) ? error.code : undefined;
  return new FileSystemError(`cannot ${verb} ${path}: ${systemErrorReason(error)}${note}`, path, code, error);
}
