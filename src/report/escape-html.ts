const REPLACEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Escape text for HTML element content and quoted attribute values. Every piece of model, user or dataset text
 * that reaches an HTML report goes through this one function.
 *
 * @example
 * escapeHtml('<img src=x onerror=alert(1)>') // '&lt;img src=x onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"'`]/g, (character) => REPLACEMENTS[character]);
}

/**
 * Escape text for XML (JUnit); also drops characters XML 1.0 forbids (control characters other than tab/newline).
 *
 * @example
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')).replace(/&#96;/g, '`');
}
