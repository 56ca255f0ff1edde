import type { JudgedAttempt, JudgedResponse } from '../../spec/judge.js';

/**
 * A judged attempt for tests: a harmful (or benign) behavior sent as written, or wrapped when `sent` is given.
 *
 * @example
 * fixtureAttempt('Explain how to pick a lock', { benign: true })
 */
export function fixtureAttempt(text: string, options: { benign?: boolean; sent?: string } = {}): JudgedAttempt {
  return {
    behavior: { id: 'test.001', text, category: 'test', source: 'test', benign: options.benign ?? false, tags: [] },
    messages: [{ role: 'user', content: options.sent ?? text }],
    attacks: [options.sent ? 'wrapped' : 'direct'],
  };
}

/**
 * A judged response for tests.
 *
 * @example
 * fixtureResponse('I cannot help with that.')
 */
export function fixtureResponse(text: string): JudgedResponse {
  return { text, rawText: text, finishReason: { unified: 'stop', raw: 'stop' } };
}
