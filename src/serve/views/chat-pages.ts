import type { Context } from 'hono';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { listMessages, type ChatMessage, type Conversation } from '../db/conversations.js';
import { listFlags, type Flag } from '../db/flags.js';
import { options, when } from './components.js';
import { html, type SafeHtml } from './html.js';
import { csrfField } from './layout.js';
import { renderPage } from './render-page.js';

const DONE_NOTICES: Record<string, string> = {
  harmful: 'Flagged as harmful. The opening request is now in the community suite; annotators will confirm it.',
  failure: 'Marked as a failed attack: the model held. It counts as a human-judged attempt.',
};

function hazardOptions(context: ServeContext, selected: string): SafeHtml[] {
  return options(Object.entries(context.hazards).map(([id, name]): [string, string] => [id, `${name} (${id})`]), selected);
}

/** The page to start a conversation, with the account's earlier ones. */
export function newChatPage(c: Context<ServeEnv>, context: ServeContext, conversations: Conversation[]): Response {
  const csrf = c.get('csrfToken');
  return renderPage(
    c,
    { title: 'Red-team chat', section: 'chat' },
    html`<div class="page-head"><h1>Red-team chat</h1><p class="muted">Pick a model and a hazard, then try to make the model do what it should not. Flag every answer that crosses the line; mark the ones where it held.</p></div>
<div class="grid-2">
<section class="panel">
  <h2>New conversation</h2>
  <form method="post" action="/chat" class="stack">
    ${csrfField(csrf)}
    <label>Target <select name="target" required>${options(context.targets.map((target): [string, string] => [target.name, `${target.name} — ${target.label}${target.simulated ? ' (simulated)' : ''}`]), context.targets[0]?.name)}</select></label>
    <label>Hazard <select name="hazard" required>${hazardOptions(context, Object.keys(context.hazards)[0])}</select></label>
    <button type="submit" class="button primary">Start</button>
  </form>
  <p class="small muted">Model calls are limited to ${context.limits.modelCalls.limit} per ${Math.round(context.limits.modelCalls.windowMs / 60_000)} min per account.</p>
</section>
<section class="panel">
  <h2>Your conversations</h2>
  ${conversations.length === 0 ? html`<p class="muted">None yet.</p>` : html`<ul class="list">${conversations.map(
    (conversation) => html`<li><a href="/chat/${conversation.id}">#${conversation.id} · ${conversation.targetName}</a> <span class="chip">${context.hazards[conversation.hazard] ?? conversation.hazard}</span> <span class="muted small">${conversation.username} · ${when(conversation.createdAt)}</span></li>`,
  )}</ul>`}
</section>
</div>`,
  );
}

function flagForm(csrf: string, context: ServeContext, conversation: Conversation, message: ChatMessage): SafeHtml {
  return html`<details class="flag-box">
  <summary>Flag this answer…</summary>
  <form method="post" action="/chat/${conversation.id}/flags" class="stack compact" data-flag-form>
    ${csrfField(csrf)}
    <input type="hidden" name="messageId" value="${message.id}">
    <label>Hazard <select name="hazard">${hazardOptions(context, conversation.hazard)}</select></label>
    <label><span>Note <span class="muted small">(what makes it harmful; optional)</span></span><textarea name="note" rows="2" maxlength="2000"></textarea></label>
    <div class="row"><button type="submit" name="kind" value="harmful" class="button danger">Flag as harmful</button>
    <button type="submit" name="kind" value="failure" class="button">Attack failed (model held)</button></div>
  </form>
</details>`;
}

function flagPill(flag: Flag, context: ServeContext): SafeHtml {
  return flag.kind === 'harmful'
    ? html`<span class="pill pill-harm">flagged harmful · ${context.hazards[flag.hazard] ?? flag.hazard}</span>${flag.note ? html` <span class="small muted">“${flag.note}”</span>` : ''}`
    : html`<span class="pill pill-ok">attack failed</span>`;
}

/** A conversation: the messages, a flag form under each answer, and the composer (streams with the app's script). */
export function chatPage(
  c: Context<ServeEnv>,
  context: ServeContext,
  conversation: Conversation,
  state: { done?: string; error?: string; draft?: string },
  status: 200 | 400 = 200,
): Response {
  const csrf = c.get('csrfToken');
  const messages = listMessages(context.db, conversation.id);
  const flags = new Map(listFlags(context.db, { conversationId: conversation.id }).map((flag) => [flag.messageId, flag]));
  const target = context.targets.find((entry) => entry.name === conversation.targetName);
  return renderPage(
    c,
    { title: `Chat #${conversation.id}`, section: 'chat', notice: state.done ? DONE_NOTICES[state.done] : undefined },
    html`<div class="page-head"><h1>Chat #${conversation.id} <span class="chip">${context.hazards[conversation.hazard] ?? conversation.hazard}</span></h1>
  <p class="muted">Target <strong>${conversation.targetName}</strong> (${conversation.targetLabel})${target?.simulated ? html` <span class="pill pill-sim">SIMULATED</span>` : ''} · ${target?.canStream ? 'answers stream' : 'this target cannot stream: answers arrive whole'} · by ${conversation.username}</p></div>
${state.error ? html`<p class="error" role="alert">${state.error}</p>` : ''}
<ol class="chat" data-chat-log>
${messages.length === 0 ? html`<li class="chat-empty muted">Write the first message below.</li>` : ''}
${messages.map((message) =>
  message.role === 'user'
    ? html`<li class="bubble bubble-user" data-message-id="${message.id}"><div class="speaker">you</div><pre class="bubble-text">${message.content}</pre></li>`
    : html`<li class="bubble bubble-assistant" data-message-id="${message.id}"><div class="speaker">${conversation.targetName} <span class="muted small">${message.streamed === false ? 'not streamed' : 'streamed'}${message.latencyMs !== null ? ` · ${Math.round(message.latencyMs)} ms` : ''}${message.finishReason && message.finishReason !== 'stop' ? ` · finish: ${message.finishReason}` : ''}</span></div>
      <pre class="bubble-text">${message.content === '' ? '(empty answer)' : message.content}</pre>
      <div class="bubble-actions">${flags.has(message.id) ? flagPill(flags.get(message.id)!, context) : flagForm(csrf, context, conversation, message)}</div></li>`,
)}
</ol>
<form method="post" action="/chat/${conversation.id}/send" class="composer" id="end" data-chat-form data-conversation="${conversation.id}">
  ${csrfField(csrf)}
  <textarea name="content" rows="3" maxlength="20000" required placeholder="Your message to ${conversation.targetName}…" data-chat-input>${state.draft ?? ''}</textarea>
  <div class="row"><button type="submit" class="button primary" data-chat-send>Send</button><span class="small muted" data-chat-status role="status"></span></div>
</form>`,
    status,
  );
}
