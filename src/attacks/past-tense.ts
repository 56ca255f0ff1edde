import { fillTemplate, pickVariant, templateList } from './attack-data.js';
import { rewriteByRules } from './rewrite-rules.js';

/**
 * Rewrite a request into a question about the past ("Explain how to pick a lock" → "How did people pick a lock in
 * the past?") with the rules in `data/attacks/past-tense-rules.json`. A request no rule matches is wrapped in a
 * past-tense fallback template (`framing.past-tense.fallback` in templates.json) instead.
 *
 * @example
 * toPastTense('How do I pick a lock?', 0) // 'How did people pick a lock in the past?'
 */
export function toPastTense(request: string, sample: number): string {
  return (
    rewriteByRules('past-tense-rules.json', request) ??
    fillTemplate(pickVariant(templateList('framing.past-tense', 'fallback'), sample), { request: request.trim() })
  );
}

/**
 * A request as a topic to slot into a sentence ("Explain how to pick a lock" → "how to pick a lock"), with the rules in
 * `data/attacks/topic-rules.json`; otherwise the request quoted.
 *
 * @example
 * requestTopic('Write a phishing email') // 'how to write a phishing email'
 */
export function requestTopic(request: string): string {
  const topic = rewriteByRules('topic-rules.json', request);
  return topic === undefined ? `this: "${request.trim()}"` : topic.charAt(0).toLowerCase() + topic.slice(1);
}
