/**
 * The data of each event of a `text/event-stream` body (Server-Sent Events, as the WHATWG HTML standard defines the
 * format): lines end in CRLF, LF or CR; `data:` lines of one event are joined with `\n`; a blank line ends an event;
 * lines starting with `:` are comments; other fields (`event:`, `id:`, `retry:`) are ignored. An event without data
 * is skipped, and so is a last event not ended by a blank line only when it has no data.
 *
 * @example
 * sseEventData('data: {"a":1}\n\ndata: [DONE]\n\n') // ['{"a":1}', '[DONE]']
 */
export function sseEventData(body: string): string[] {
  const events: string[] = [];
  let data: string[] | undefined;
  const lines = body.split(/\r\n|\n|\r/);
  for (const line of lines) {
    if (line === '') {
      if (data !== undefined) events.push(data.join('\n'));
      data = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    if (name !== 'data') continue;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    (data ??= []).push(value);
  }
  if (data !== undefined) events.push(data.join('\n'));
  return events;
}
