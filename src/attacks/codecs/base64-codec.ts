import type { Codec } from '../encoding-attack.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Decoded text when `candidate` really is base64 of printable UTF-8 text, otherwise undefined. */
function decodeIfBase64(candidate: string): string | undefined {
  const compact = candidate.replace(/\s+/g, '');
  if (compact.length < 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const padded = compact.length % 4 === 0 ? compact : compact + '='.repeat((4 - (compact.length % 4)) % 4);
  if (padded.length % 4 !== 0 || /=[^=]/.test(padded)) return undefined;
  const bytes = Buffer.from(padded, 'base64');
  // Node decodes leniently; re-encoding must give the input back, or it was not canonical base64.
  if (bytes.toString('base64') !== padded) return undefined;
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
  const printable = text.match(/[\p{L}\p{N}\p{P}\p{S}\p{M}\s]/gu)?.length ?? 0;
  if (text.length === 0 || printable / Array.from(text).length < 0.95) return undefined;
  return text;
}

/** Runs inside prose that may be base64: long, and with a digit, `+`, `/`, `=` or inner capital (unlike a plain word). */
const EMBEDDED_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;

/**
 * Base64 of the UTF-8 text. Decoding accepts the whole response (whitespace and code fences ignored) or base64 runs
 * embedded in prose, and leaves anything that is not valid base64 of printable text unchanged.
 *
 * @example
 * base64Codec.decode(base64Codec.encode('héllo')) // 'héllo'
 */
export const base64Codec: Codec = {
  encode: (text) => Buffer.from(text, 'utf8').toString('base64'),
  decode: (text) => {
    const unfenced = text.replace(/```[a-z0-9]*\n?/gi, '').trim();
    const whole = decodeIfBase64(unfenced);
    if (whole !== undefined) return whole;
    return text.replace(EMBEDDED_RUN, (run) => {
      if (!/[0-9+/=]|[a-z][A-Z]/.test(run)) return run;
      return decodeIfBase64(run) ?? run;
    });
  },
};
