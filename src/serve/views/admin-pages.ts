import type { Context } from 'hono';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { INVITE_HOURS, listAccounts, ROLES } from '../db/accounts.js';
import { listFlags } from '../db/flags.js';
import { listTasks } from '../db/tasks.js';
import { options, when } from './components.js';
import { html } from './html.js';
import { csrfField } from './layout.js';
import { renderPage } from './render-page.js';

/** Accounts, invites and task creation. */
export function adminPage(c: Context<ServeEnv>, context: ServeContext, state: { invite?: { role: string; link: string }; error?: string }, status: 200 | 400 = 200): Response {
  const csrf = c.get('csrfToken');
  const accounts = listAccounts(context.db);
  const runs = context.store.listRuns();
  const queuedFlags = new Set(
    context.db.prepare<[], { flag_id: number }>("SELECT i.flag_id FROM serve_items i JOIN serve_tasks t ON t.id = i.task_id WHERE t.source = 'community' AND i.flag_id IS NOT NULL").all().map((row) => row.flag_id),
  );
  const waiting = listFlags(context.db, { kind: 'harmful' }).filter((flag) => !queuedFlags.has(flag.id)).length;
  return renderPage(
    c,
    { title: 'Admin', section: 'admin' },
    html`<div class="page-head"><h1>Admin</h1><p class="muted">Invite people, and turn runs and community flags into labelling tasks.</p></div>
${state.error ? html`<p class="error" role="alert">${state.error}</p>` : ''}
<div class="grid-2">
<section class="panel">
  <h2>Invite someone</h2>
  <form method="post" action="/admin/invites" class="stack">
    ${csrfField(csrf)}
    <label>Role <select name="role">${options(ROLES.map((role): [string, string] => [role, role]), 'annotator')}</select></label>
    <label>Valid for (hours) <input name="hours" type="number" min="1" max="720" value="${INVITE_HOURS}"></label>
    <button type="submit" class="button primary">Create invite link</button>
  </form>
  ${state.invite ? html`<div class="invite-result" role="status"><p>One-time <span class="role role-${state.invite.role}">${state.invite.role}</span> invite (shown once):</p><input class="mono wide" readonly value="${state.invite.link}" data-invite-link aria-label="Invite link"></div>` : ''}
</section>
<section class="panel">
  <h2>Accounts</h2>
  <table class="table compact"><thead><tr><th>User</th><th>Role</th><th>API token</th><th>Since</th></tr></thead>
  <tbody>${accounts.map((account) => html`<tr><td>${account.username}</td><td><span class="role role-${account.role}">${account.role}</span></td><td>${account.hasApiToken ? 'yes' : '–'}</td><td>${when(account.createdAt)}</td></tr>`)}</tbody></table>
</section>
</div>
<section class="panel">
  <h2>New labelling task</h2>
  <form method="post" action="/admin/tasks" class="task-form">
    ${csrfField(csrf)}
    <label>Name <input name="name" required maxlength="200" placeholder="e.g. Confirm community findings, week 1"></label>
    <label>Items from <select name="source">${options([['community', `community flags (${waiting} findings not yet queued)`], ...runs.map((run): [string, string] => [`run:${run.id}`, `run ${run.name ?? run.target.label} · ${run.id}`])], 'community')}</select></label>
    <fieldset class="inline-fields"><legend>Labels asked</legend>
      <label class="choice"><input type="checkbox" name="questions" value="outcome" checked> refusal / compliance / partial</label>
      <label class="choice"><input type="checkbox" name="questions" value="harmful" checked> harmful yes/no</label>
      <label class="choice"><input type="checkbox" name="questions" value="hazard"> hazard</label>
    </fieldset>
    <label>Annotators per item (k) <input name="k" type="number" min="1" max="25" value="2" required></label>
    <details><summary class="small">Filters for run items</summary>
      <div class="inline-fields">
      <label>Hazard <select name="hazard">${options([['', 'all'], ...Object.entries(context.hazards).map(([id, name]): [string, string] => [id, name])], '')}</select></label>
      <label>Vector <input name="attack" placeholder="e.g. direct"></label>
      <label>Verdict <select name="verdict">${options([['', 'any'], ['attack-success', 'attack success'], ['refusal', 'refusal'], ['compliance', 'compliance'], ['partial', 'partial'], ['harmful-behaviors', 'harmful requests only']], '')}</select></label>
      <label>At most <input name="limit" type="number" min="1" max="5000" placeholder="all"> items (a fixed random sample)</label>
      </div>
    </details>
    <button type="submit" class="button primary">Create task</button>
  </form>
  ${listTasks(context.db).length > 0 ? html`<h3>Tasks</h3><ul class="list">${listTasks(context.db).map((task) => html`<li><a href="/tasks/${task.id}">#${task.id} ${task.name}</a> <span class="muted small">${task.source} · k=${task.k}</span></li>`)}</ul>` : ''}
</section>`,
    status,
  );
}
