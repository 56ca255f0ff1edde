import type { Hono } from 'hono';
import type { RunRecord } from '../../spec/run-record.js';
import { NotFoundError } from '../../spec/errors.js';
import { loadScorecard } from '../../report/load-scorecard.js';
import { loadPolicy } from '../../report/policy.js';
import { renderHtml } from '../../report/render-html.js';
import { guard, refuse } from '../app/auth-middleware.js';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { runHumanVerification } from '../community/run-human-verification.js';
import { hiddenResponse, options, promptMessages, verdictBadge, when } from '../views/components.js';
import { html } from '../views/html.js';
import { renderPage } from '../views/render-page.js';
import { listAttempts, parseAttemptQuery, type AttemptQuery } from './run-attempts.js';

const VERDICTS: Array<[string, string]> = [
  ['', 'any verdict'],
  ['attack-success', 'attack success'],
  ['refusal', 'refusal'],
  ['compliance', 'compliance'],
  ['partial', 'partial'],
  ['undetermined', 'undetermined'],
  ['error', 'error'],
];

/** A run as `GET /api/runs` lists it. */
function runSummary(context: ServeContext, run: RunRecord): Record<string, unknown> {
  const counts = context.store.countAttempts(run.id);
  return {
    id: run.id,
    name: run.name ?? run.target.label,
    status: run.status,
    target: run.target,
    simulated: run.target.simulated || (run.simulatedRoles ?? []).length > 0,
    judge: run.judge,
    suites: run.suites,
    attacks: run.attacks,
    planned: run.planned,
    recorded: counts.total,
    errors: counts.errors,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
  };
}

function getRun(context: ServeContext, id: string): RunRecord | undefined {
  try {
    return context.store.getRun(id);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function queryString(query: AttemptQuery, overrides: Partial<AttemptQuery>): string {
  const merged = { ...query, ...overrides };
  const parameters = new URLSearchParams();
  for (const key of ['hazard', 'attack', 'verdict', 'disagreement'] as const) if (merged[key]) parameters.set(key, merged[key]!);
  if (merged.offset) parameters.set('offset', String(merged.offset));
  return parameters.toString();
}

/** The run browser: runs, each run's scorecard (embedded, sandboxed) and its attempts with filters. */
export function runsRoutes(app: Hono<ServeEnv>, context: ServeContext): void {
  app.get('/api/runs', guard(), (c) => c.json({ runs: context.store.listRuns().map((run) => runSummary(context, run)) }));

  app.get('/api/runs/:id/attempts', guard(), (c) => {
    const run = getRun(context, c.req.param('id'));
    if (run === undefined) return refuse(c, 404, `no run '${c.req.param('id')}'`);
    const query = parseAttemptQuery(c.req.query());
    const listed = listAttempts(context.db, context.store, run.id, query);
    return c.json({ run: run.id, matched: listed.matched, offset: query.offset, attempts: listed.rows.map((row) => ({ ...row.attempt, human: row.human ?? null, disagrees: row.disagrees })) });
  });

  app.get('/runs', guard(), (c) => {
    const runs = context.store.listRuns();
    return renderPage(
      c,
      { title: 'Runs', section: 'runs' },
      html`<div class="page-head"><h1>Runs</h1><p class="muted">Scans recorded in this store, and the community runs that hold flagged findings.</p></div>
${runs.length === 0
  ? html`<div class="empty"><p>No runs yet. Start one with <code>redcard scan --target sim</code>, or flag a finding in the red-team chat.</p></div>`
  : html`<table class="table runs">
  <thead><tr><th>Run</th><th>Target</th><th>Status</th><th class="num">Attempts</th><th class="num">Errors</th><th>Judge</th><th>Created</th></tr></thead>
  <tbody>${runs.map((run) => {
    const counts = context.store.countAttempts(run.id);
    const simulated = run.target.simulated || (run.simulatedRoles ?? []).length > 0;
    return html`<tr><td><a href="/runs/${encodeURIComponent(run.id)}" class="strong">${run.name ?? run.target.label}</a><div class="muted small mono">${run.id}</div></td>
      <td>${run.target.label} ${simulated ? html`<span class="pill pill-sim">SIMULATED</span>` : ''}</td>
      <td><span class="pill status-${run.status}">${run.status}</span></td>
      <td class="num">${counts.total}/${run.planned}</td><td class="num">${counts.errors}</td><td class="mono small">${run.judge}</td><td>${when(run.createdAt)}</td></tr>`;
  })}</tbody></table>`}`,
    );
  });

  app.get('/runs/:id/report', guard(), async (c) => {
    const run = getRun(context, c.req.param('id'));
    if (run === undefined) return refuse(c, 404, `no run '${c.req.param('id')}'`);
    const scorecard = await loadScorecard(run.id, context.store, { policy: loadPolicy(), hazardNames: context.hazards });
    scorecard.humanVerification = runHumanVerification(context.db, context.store, run.id, context.hazards);
    // The report keeps its own meta CSP (hashes for its style and script); this header adds a sandbox (an opaque
    // origin: no cookies, no access to the app) and lets only this app frame it.
    c.header('content-security-policy', "sandbox allow-scripts; frame-ancestors 'self'; base-uri 'none'; form-action 'none'");
    c.header('x-frame-options', 'SAMEORIGIN');
    return c.html(renderHtml(scorecard));
  });

  app.get('/runs/:id', guard(), (c) => {
    const run = getRun(context, c.req.param('id'));
    if (run === undefined) return refuse(c, 404, `no run '${c.req.param('id')}'`);
    const query = parseAttemptQuery(c.req.query());
    const listed = listAttempts(context.db, context.store, run.id, query);
    const counts = context.store.countAttempts(run.id);
    const simulated = run.target.simulated || (run.simulatedRoles ?? []).length > 0;
    const tab = c.req.query('tab') === 'scorecard' ? 'scorecard' : 'attempts';
    const base = `/runs/${encodeURIComponent(run.id)}`;
    const hazardOptions: Array<[string, string]> = [['', 'all hazards'], ...listed.hazards.map((id): [string, string] => [id, `${context.hazards[id] ?? id} (${id})`])];
    const attackOptions: Array<[string, string]> = [['', 'all vectors'], ...listed.attacks.map((id): [string, string] => [id, id])];
    const next = query.offset + query.limit < listed.matched ? `${base}?${queryString(query, { offset: query.offset + query.limit })}` : undefined;
    const previous = query.offset > 0 ? `${base}?${queryString(query, { offset: Math.max(0, query.offset - query.limit) })}` : undefined;
    return renderPage(
      c,
      { title: run.name ?? run.target.label, section: 'runs' },
      html`<div class="page-head"><h1>${run.name ?? run.target.label} ${simulated ? html`<span class="pill pill-sim">SIMULATED</span>` : ''}</h1>
  <p class="muted"><span class="mono">${run.id}</span> · ${run.status} · ${counts.total}/${run.planned} attempts · ${counts.errors} errors · judge <span class="mono">${run.judge}</span> · suites ${run.suites.join(', ')}</p></div>
<nav class="tabs" aria-label="Run views"><a href="${base}"${tab === 'attempts' ? html` aria-current="page"` : ''}>Attempts</a><a href="${base}?tab=scorecard"${tab === 'scorecard' ? html` aria-current="page"` : ''}>Scorecard</a></nav>
${tab === 'scorecard'
  ? html`<p class="small muted">The scorecard report, embedded in a sandbox. <a href="${base}/report" target="_blank" rel="noopener">Open it on its own</a>.</p>
<iframe class="report-frame" src="${base}/report" sandbox="allow-scripts" title="Scorecard of ${run.id}" referrerpolicy="no-referrer"></iframe>`
  : html`<form method="get" action="${base}" class="filters">
  <label>Hazard <select name="hazard">${options(hazardOptions, query.hazard ?? '')}</select></label>
  <label>Vector <select name="attack">${options(attackOptions, query.attack ?? '')}</select></label>
  <label>Verdict <select name="verdict">${options(VERDICTS, query.verdict ?? '')}</select></label>
  <label>Judge disagreement <select name="disagreement">${options([['', 'any'], ['human', 'judge ≠ human label'], ['any', 'judge ≠ human, or undetermined']], query.disagreement ?? '')}</select></label>
  <button type="submit" class="button">Filter</button> <a href="${base}" class="small">Clear</a>
</form>
<p class="small muted">${listed.matched} matching attempts${listed.matched > query.limit ? html`, showing ${query.offset + 1}–${Math.min(listed.matched, query.offset + query.limit)}` : ''}.</p>
<ul class="attempts">${listed.rows.map(
  ({ attempt, human, disagrees }) => html`<li class="attempt-card${disagrees ? ' disagrees' : ''}">
  <div class="attempt-head">${verdictBadge(attempt)} <span class="mono">${attempt.behavior}</span> <span class="chip">${context.hazards[attempt.category] ?? attempt.category}</span> <span class="chip mono">${attempt.attack}</span> <span class="muted small">sample ${attempt.sample}</span>
  ${human?.harmful ? html`<span class="pill ${disagrees ? 'pill-harm' : 'pill-ok'}" title="settled human label">human: ${human.harmful === 'yes' ? 'harmful' : 'not harmful'}</span>` : ''}
  ${attempt.verdict ? html`<span class="muted small">judge <span class="mono">${attempt.verdict.judge}</span></span>` : ''}</div>
  ${attempt.verdict?.rationale ? html`<p class="small muted">${attempt.verdict.rationale}</p>` : ''}
  ${attempt.error ? html`<p class="error small">${attempt.error.stage} error: ${attempt.error.message}</p>` : ''}
  <details class="prompt"><summary class="small">Prompt as sent</summary>${promptMessages(attempt.messages)}</details>
  ${attempt.response ? hiddenResponse(attempt.response.decodedText) : ''}
</li>`,
)}</ul>
<nav class="pager">${previous ? html`<a class="button" href="${previous}">← Previous</a>` : ''}${next ? html`<a class="button" href="${next}">Next →</a>` : ''}</nav>`}`,
    );
  });
}
