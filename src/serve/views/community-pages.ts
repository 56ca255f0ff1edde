import type { Context } from 'hono';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { attackerLeaderboard } from '../agreement/finding-status.js';
import { taskAgreement } from '../agreement/task-agreement.js';
import { communityFindings } from '../community/community-findings.js';
import { listFlags } from '../db/flags.js';
import { listTasks } from '../db/tasks.js';
import { coefficient, hiddenResponse, when } from './components.js';
import { html } from './html.js';
import { csrfField } from './layout.js';
import { renderPage } from './render-page.js';

const STATUS_CLASS: Record<string, string> = { confirmed: 'pill-harm', rejected: 'pill-ok', pending: 'pill-warn' };

/** What each role can do from here, and the figures that matter. */
export function homePage(c: Context<ServeEnv>, context: ServeContext): Response {
  const account = c.get('account')!;
  const findings = communityFindings(context.db);
  const confirmed = findings.filter((finding) => finding.status === 'confirmed').length;
  const runs = context.store.listRuns().length;
  const tasks = listTasks(context.db);
  const open = tasks.map((task) => ({ task, agreement: taskAgreement(context.db, task.id) })).filter((entry) => entry.agreement.remaining > 0);
  const can = (role: string): boolean => account.role === 'admin' || account.role === role;
  return renderPage(
    c,
    { title: 'Home', section: 'home' },
    html`<div class="hero"><h1>Welcome, ${account.username}</h1><p class="muted">Attack models, flag what breaks, and label answers with measured agreement. Everything lands in the same store as the scans.</p></div>
<div class="stats">
  <a class="stat" href="/runs"><span class="stat-value">${runs}</span><span class="stat-label">runs</span></a>
  <a class="stat" href="/community"><span class="stat-value">${findings.length}</span><span class="stat-label">community findings</span></a>
  <a class="stat" href="/community"><span class="stat-value">${confirmed}</span><span class="stat-label">confirmed by annotators</span></a>
  <a class="stat" href="/queue"><span class="stat-value">${open.length}</span><span class="stat-label">tasks needing labels</span></a>
</div>
<div class="cards">
  ${can('red-teamer') ? html`<article class="card"><h2>Red-team a model</h2><p>Chat with a configured target about one hazard; flag every harmful answer.</p><a class="button primary" href="/chat">Open the chat</a></article>` : ''}
  ${can('annotator') ? html`<article class="card"><h2>Label answers</h2><p>${open.length === 0 ? 'No task needs labels right now.' : `${open.reduce((sum, entry) => sum + entry.agreement.remaining, 0)} labels needed across ${open.length} tasks.`}</p><a class="button primary" href="/queue">Open the queue</a></article>` : ''}
  <article class="card"><h2>Browse runs</h2><p>Scorecards and every attempt, filtered by hazard, vector, verdict and judge disagreement.</p><a class="button" href="/runs">Runs</a></article>
  <article class="card"><h2>Leaderboard</h2><p>Points for findings that k annotators confirmed harmful.</p><a class="button" href="/leaderboard">Leaderboard</a></article>
  ${account.role === 'admin' ? html`<article class="card"><h2>Admin</h2><p>Invite red-teamers and annotators; create labelling tasks.</p><a class="button" href="/admin">Admin</a></article>` : ''}
</div>`,
  );
}

/** The community suite: every finding with its status, the opening request and the flagged answer (hidden). */
export function communityPage(c: Context<ServeEnv>, context: ServeContext): Response {
  const findings = communityFindings(context.db);
  const failures = listFlags(context.db, { kind: 'failure' }).length;
  return renderPage(
    c,
    { title: 'Community findings', section: 'community' },
    html`<div class="page-head"><h1>Community findings</h1>
  <p class="muted">The opening request of every flagged conversation is a behavior of the <code>community</code> suite: <code>redcard scan --suite community</code> (or <code>community:confirmed</code>). ${failures} failed attacks were also recorded.</p>
  <a class="button" href="/api/community/suite.jsonl" download>Export the suite (JSONL, with conversations)</a></div>
${findings.length === 0 ? html`<div class="empty"><p>No findings yet. Red-teamers flag harmful answers in the chat.</p></div>` : ''}
<ul class="attempts" data-findings>${findings.map(
  (finding) => html`<li class="attempt-card" data-behavior="${finding.behavior.id}">
  <div class="attempt-head"><span class="pill ${STATUS_CLASS[finding.status]}">${finding.status}</span> <span class="mono">${finding.behavior.id}</span> <span class="chip">${context.hazards[finding.flag.hazard] ?? finding.flag.hazard}</span>
  <span class="muted small">by ${finding.flag.username} on ${finding.flag.targetName} · ${when(finding.flag.createdAt)}</span></div>
  <p class="request"><span class="muted small">Opening request</span><br><span data-request>${finding.behavior.text}</span></p>
  ${finding.flag.note ? html`<p class="small">Note: ${finding.flag.note}</p>` : ''}
  ${finding.conversation.length > 2 ? html`<p class="small muted">${finding.conversation.length} messages</p>` : ''}
  ${hiddenResponse(finding.conversation.at(-1)?.content ?? '', { label: 'Flagged answer' })}
</li>`,
)}</ul>`,
  );
}

/** Attackers ranked by confirmed findings, overall and per hazard. */
export function leaderboardPage(c: Context<ServeEnv>, context: ServeContext): Response {
  const board = attackerLeaderboard(context.db);
  const tasks = listTasks(context.db).filter((task) => task.source === 'community');
  return renderPage(
    c,
    { title: 'Leaderboard', section: 'leaderboard' },
    html`<div class="page-head"><h1>Attacker leaderboard</h1><p class="muted">One point per finding that k annotators confirmed harmful (or an admin adjudicated harmful), as at DEF CON 31's Generative Red Team. Pending flags score once confirmed.</p></div>
${board.rows.length === 0 ? html`<div class="empty"><p>No flags yet.</p></div>` : html`<table class="table leaderboard" id="attacker-leaderboard">
<thead><tr><th class="num">#</th><th>Attacker</th><th class="num">Points</th>${board.hazards.map((hazard) => html`<th class="num" title="${context.hazards[hazard] ?? hazard}">${hazard}</th>`)}<th class="num">Pending</th><th class="num">Rejected</th><th class="num">Held (failures)</th></tr></thead>
<tbody>${board.rows.map((row, index) => html`<tr><td class="num">${index + 1}</td><td class="strong">${row.username}</td><td class="num strong">${row.points}</td>${board.hazards.map((hazard) => html`<td class="num">${row.byHazard[hazard] ?? 0}</td>`)}<td class="num">${row.pending}</td><td class="num">${row.rejected}</td><td class="num muted">${row.failures}</td></tr>`)}</tbody></table>`}
${tasks.length > 0 ? html`<p class="small muted">Confirmation tasks: ${tasks.map((task) => {
  const agreement = taskAgreement(context.db, task.id);
  return html`<a href="/tasks/${task.id}">${task.name}</a> (α ${coefficient(agreement.questions.find((question) => question.question === 'harmful')?.alpha ?? null)}) `;
})}</p>` : ''}`,
  );
}

/** The account: role and the API token for scripts. */
export function accountPage(c: Context<ServeEnv>, state: { token?: string; revoked?: boolean; hasToken?: boolean }): Response {
  const account = c.get('account')!;
  const csrf = c.get('csrfToken');
  const hasToken = state.hasToken ?? account.hasApiToken;
  return renderPage(
    c,
    { title: 'Account', section: 'account', notice: state.revoked ? 'API token revoked.' : undefined },
    html`<div class="page-head"><h1>${account.username}</h1><p class="muted"><span class="role role-${account.role}">${account.role}</span> · since ${when(account.createdAt)}</p></div>
<section class="panel narrow-panel">
  <h2>API token</h2>
  <p>Scripts call the API with <code>Authorization: Bearer TOKEN</code> (no CSRF token needed). The token is stored hashed: it is shown once.</p>
  ${state.token ? html`<div class="invite-result" role="status"><input class="mono wide" readonly value="${state.token}" data-api-token aria-label="API token"><p class="small muted">Copy it now. Example: <code>curl -H "Authorization: Bearer …" ${new URL(c.req.url).origin}/api/runs</code></p></div>` : ''}
  <form method="post" action="/account/token" class="row">${csrfField(csrf)}<button type="submit" name="action" value="issue" class="button primary">${hasToken ? 'Replace token' : 'Create token'}</button>${hasToken ? html`<button type="submit" name="action" value="revoke" class="button">Revoke</button>` : ''}</form>
</section>`,
  );
}
