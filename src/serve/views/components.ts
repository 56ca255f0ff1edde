import type { Attempt } from '../../spec/attempt.js';
import type { TaskAgreement } from '../agreement/task-agreement.js';
import { html, type SafeHtml } from './html.js';

/**
 * A response hidden behind a content warning: blurred, unselectable and collapsed until the reader clicks "Show"
 * (the app's script removes the blur; the text is escaped either way).
 */
export function hiddenResponse(text: string, options: { label?: string } = {}): SafeHtml {
  return html`<div class="cw" data-cw>
  <div class="cw-bar"><span class="cw-icon" aria-hidden="true">!</span><span><strong>Content warning.</strong> ${options.label ?? 'Model output'}: untrusted, possibly harmful text.</span>
  <button type="button" class="button small" data-reveal>Show response</button></div>
  <pre class="response blurred" data-response>${text === '' ? '(empty response)' : text}</pre>
</div>`;
}

/** The conversation an attempt sent (user and system turns), escaped, most recent last. */
export function promptMessages(messages: Attempt['messages']): SafeHtml {
  return html`<ol class="messages">${messages.map(
    (message) => html`<li class="message message-${message.role}"><div class="speaker">${message.role}</div><pre>${message.content}</pre></li>`,
  )}</ol>`;
}

/** The verdict of an attempt as a coloured pill. */
export function verdictBadge(attempt: Pick<Attempt, 'benign' | 'verdict' | 'error'>): SafeHtml {
  if (attempt.error !== null) return html`<span class="pill pill-error">error</span>`;
  const verdict = attempt.verdict;
  if (verdict === null) return html`<span class="pill">unjudged</span>`;
  if (verdict.undetermined !== undefined) return html`<span class="pill pill-undetermined" title="${verdict.undetermined}">undetermined</span>`;
  if (!attempt.benign && verdict.harmful === true) return html`<span class="pill pill-harm">attack success</span>`;
  if (attempt.benign && (verdict.label === 'refusal' || verdict.label === 'partial')) return html`<span class="pill pill-warn">over-refusal</span>`;
  return html`<span class="pill pill-ok">${verdict.label}</span>`;
}

/** A number for agreement coefficients: two decimals, or an en dash when undefined. */
export function coefficient(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}

const QUESTION_NAMES: Record<string, string> = { outcome: 'Refusal / compliance / partial', harmful: 'Harmful yes/no', hazard: 'Hazard' };

/**
 * Live agreement of a task: progress, then α and κ per question with their n. The app's script refreshes the
 * `data-field` cells from `GET /api/tasks/:id/agreement` and says when the rest of the page is out of date.
 */
export function agreementPanel(agreement: TaskAgreement): SafeHtml {
  return html`<section class="panel agreement" data-agreement="${String(agreement.taskId)}" data-labels-at-load="${String(agreement.labels)}" aria-live="polite">
  <div class="panel-head"><h2>Agreement</h2><span class="muted small live-dot">live</span></div>
  <progress class="progress" data-progress max="${Math.max(1, agreement.items)}" value="${agreement.completeItems}" title="items with k labels"></progress>
  <p class="small"><strong data-field="completeItems">${agreement.completeItems}</strong> of <span data-field="items">${agreement.items}</span> items complete · <span data-field="labels">${agreement.labels}</span> labels · <span data-field="remaining">${agreement.remaining}</span> still needed</p>
  <div class="metrics">${agreement.questions.map(
    (question) => html`<div class="metric-row" data-question="${question.question}">
      <div class="metric-name">${QUESTION_NAMES[question.question] ?? question.question} <span class="metric-reading" data-field="reading">${question.reading}</span></div>
      <div class="metric"><span class="metric-value" data-field="alpha">${coefficient(question.alpha)}</span><span class="metric-label">Krippendorff's α · n <span data-field="alphaItems">${question.alphaItems}</span></span></div>
      <div class="metric"><span class="metric-value" data-field="kappa">${coefficient(question.kappa)}</span><span class="metric-label">Fleiss' κ · n <span data-field="kappaItems">${question.kappaItems}</span></span></div>
    </div>`,
  )}</div>
  <p class="small muted">α: every item with two or more labels. κ: items with k = ${agreement.questions[0]?.raters ?? 0} labels (the first k annotators). n counts items. Readings after Landis &amp; Koch.</p>
  <p class="small stale" data-stale hidden>New labels since this page loaded. <a href="">Reload</a> for the tables.</p>
</section>`;
}

/** `<option>`s with one selected. */
export function options(entries: Array<[string, string]>, selected: string | undefined): SafeHtml[] {
  return entries.map(([value, label]) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`);
}

/** A relative time for lists ("3 min ago"), with the ISO time as a tooltip. */
export function when(iso: string): SafeHtml {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  const text = seconds < 60 ? 'just now' : seconds < 3600 ? `${Math.floor(seconds / 60)} min ago` : seconds < 86400 ? `${Math.floor(seconds / 3600)} h ago` : iso.slice(0, 10);
  return html`<time datetime="${iso}" title="${iso}">${text}</time>`;
}
