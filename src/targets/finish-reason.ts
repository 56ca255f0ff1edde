import type { FinishReason } from '../spec/target.js';

const UNIFIED: Record<string, FinishReason['unified']> = {
  stop: 'stop',
  eos: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
};

/**
 * Map an OpenAI-style `finish_reason` to the unified reason, keeping the raw value.
 *
 * @example
 * mapFinishReason('content_filter') // { unified: 'content-filter', raw: 'content_filter' }
 */
export function mapFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: raw === null || raw === undefined ? 'stop' : 'other', raw: null };
  return { unified: Object.hasOwn(UNIFIED, raw) ? UNIFIED[raw] : 'other', raw };
}
