/**
 * Typed errors. The library throws these and never prints or exits; the CLI maps them to messages and exit codes.
 */
export class RedcardError extends Error {
  /** Machine-readable code. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedcardError';
    this.code = code;
  }
}

/** A bad flag or config value. `file`/`line`/`field` say where, when known. Exit code 2. */
export class ConfigError extends RedcardError {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  constructor(message: string, where: { file?: string; line?: number; field?: string } = {}) {
    const place = [where.file, where.line !== undefined ? `line ${where.line}` : undefined].filter(Boolean).join(':');
    const prefix = [place, where.field ? `field '${where.field}'` : undefined].filter(Boolean).join(' ');
    super('config', prefix ? `${prefix}: ${message}` : message);
    this.name = 'ConfigError';
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

/** A malformed dataset file or row. */
export class DatasetError extends RedcardError {
  readonly file: string;
  readonly line?: number;
  constructor(message: string, file: string, line?: number) {
    super('dataset', `${file}${line !== undefined ? `:${line}` : ''}: ${message}`);
    this.name = 'DatasetError';
    this.file = file;
    this.line = line;
  }
}

/** A target request that failed. `retryable` says whether trying again may help. */
export class TargetError extends RedcardError {
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly tries?: number;
  constructor(
    message: string,
    details: { status?: number; retryable: boolean; retryAfterMs?: number; tries?: number; cause?: unknown },
  ) {
    super('target', message, { cause: details.cause });
    this.name = 'TargetError';
    this.status = details.status;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
    this.tries = details.tries;
  }
}

/** Something asked for (a run, a plugin id) does not exist. */
export class NotFoundError extends RedcardError {
  constructor(message: string) {
    super('not-found', message);
    this.name = 'NotFoundError';
  }
}

/** The user interrupted (Ctrl-C). */
export class AbortedError extends RedcardError {
  constructor(message = 'interrupted') {
    super('aborted', message);
    this.name = 'AbortedError';
  }
}

/** A strategy asked for a target query beyond its attempt's or its run's budget. */
export class BudgetExhaustedError extends RedcardError {
  /** Which limit was reached: `attempt-queries`, `run-queries`, `attempt-tokens`, `run-tokens`. */
  readonly limit: string;
  constructor(limit: string, message = `budget exhausted (${limit})`) {
    super('budget', message);
    this.name = 'BudgetExhaustedError';
    this.limit = limit;
  }
}

/**
 * A model call was not sent: it waits for a Batch file (`scan --defer`, `batch export`). The attempt that made it is
 * not recorded; it runs again once the call's answer is imported (`batch import`).
 */
export class CallDeferredError extends RedcardError {
  constructor(
    /** The call's key, its `custom_id` in the Batch file. */
    readonly callKey: string,
  ) {
    super('deferred', `call ${callKey} waits for a Batch answer`);
    this.name = 'CallDeferredError';
  }
}
