/**
 * Header names that look like they carry a credential. Their values are never stored, even when marked public.
 */
const SECRET_LOOKING = /auth|token|key|secret|passw|cookie|session|credential|signature|bearer|jwt|csrf|xsrf|private/i;

/**
 * Whether a header name looks like it carries a credential (`Authorization`, `X-Api-Key`, `Cookie`, `X-Auth-Token`…).
 *
 * @example
 * isSecretLookingHeader('X-Goog-Api-Key') // true
 * isSecretLookingHeader('X-Trace') // false
 */
export function isSecretLookingHeader(name: string): boolean {
  return SECRET_LOOKING.test(name);
}

/** What of a target's headers may be written to run records and reports. */
export interface StorableHeaders {
  /** Headers marked public whose names do not look secret: stored with their values. */
  stored: Record<string, string>;
  /** Names of the other headers: sent, never stored (only the name is recorded). */
  withheld: string[];
  /** Names marked public that look secret: withheld anyway (the CLI warns). */
  refusedPublic: string[];
}

/**
 * Split headers into those whose values may be stored (marked public in `publicNames`, case-insensitive, and not
 * secret-looking) and those that are only sent. Header values are secret unless marked public: an `X-Trace` value can
 * be a tenant id, a `X-Org` value an account.
 *
 * @example
 * storableHeaders({ 'X-Trace': '1', 'X-Team': 'red' }, ['x-team'])
 * // { stored: { 'X-Team': 'red' }, withheld: ['X-Trace'], refusedPublic: [] }
 */
export function storableHeaders(headers: Record<string, string> | undefined, publicNames: readonly string[] = []): StorableHeaders {
  const marked = new Set(publicNames.map((name) => name.toLowerCase()));
  const result: StorableHeaders = { stored: {}, withheld: [], refusedPublic: [] };
  for (const [name, value] of Object.entries(headers ?? {})) {
    const isPublic = marked.has(name.toLowerCase());
    if (isPublic && !isSecretLookingHeader(name)) result.stored[name] = value;
    else {
      result.withheld.push(name);
      if (isPublic) result.refusedPublic.push(name);
    }
  }
  return result;
}

/**
 * A target config as it may be stored (run settings, run.json): only storable header values, the names of the others
 * in `withheldHeaders`.
 *
 * @example
 * storedTargetConfig({ kind: 'openai', headers: { 'X-Trace': '1' } }) // { kind: 'openai', headers: {}, withheldHeaders: ['X-Trace'] }
 */
export function storedTargetConfig<T extends { headers?: Record<string, string>; publicHeaders?: string[]; withheldHeaders?: string[] }>(config: T): T {
  const { stored, withheld } = storableHeaders(config.headers, config.publicHeaders);
  const earlier = (config.withheldHeaders ?? []).filter((name) => !withheld.some((other) => other.toLowerCase() === name.toLowerCase()) && !(name in stored));
  const allWithheld = [...earlier, ...withheld];
  const copy: T = { ...config, headers: stored };
  if (allWithheld.length > 0) copy.withheldHeaders = allWithheld;
  else delete copy.withheldHeaders;
  return copy;
}
