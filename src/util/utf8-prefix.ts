/**
 * The longest prefix of `bytes` that ends on a UTF-8 character boundary, decoded: a multi-byte character cut by a
 * byte limit is dropped whole instead of becoming U+FFFD.
 *
 * @example
 * utf8Prefix(Buffer.from('né', 'utf8').subarray(0, 2)) // 'n'
 */
export function utf8Prefix(bytes: Buffer): string {
  return bytes.toString('utf8', 0, utf8BoundaryBefore(bytes, bytes.length));
}

/**
 * The largest offset ≤ `end` at which `bytes` can be cut without splitting a UTF-8 character.
 *
 * @example
 * utf8BoundaryBefore(Buffer.from('a€'), 3) // 1
 */
export function utf8BoundaryBefore(bytes: Buffer, end: number): number {
  const cut = Math.min(end, bytes.length);
  // Walk back over continuation bytes (10xxxxxx) to the lead byte of the last character before the cut.
  let lead = cut - 1;
  while (lead >= 0 && cut - lead < 4 && (bytes[lead] & 0xc0) === 0x80) lead -= 1;
  if (lead < 0 || (bytes[lead] & 0xc0) === 0x80) return cut; // not UTF-8 here: nothing to protect
  return lead + characterWidth(bytes[lead]) > cut ? lead : cut;
}

function characterWidth(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

/**
 * Drop a trailing unpaired high surrogate (a JSON `\ud83d` escape cut before its pair), so the text stays valid UTF-16
 * and encodes to valid UTF-8.
 *
 * @example
 * withoutDanglingSurrogate('ok\ud83d') // 'ok'
 */
export function withoutDanglingSurrogate(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}
