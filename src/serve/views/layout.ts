import type { Account } from '../db/accounts.js';
import { html, type SafeHtml } from './html.js';

/** What every page needs to render its frame. */
export interface PageFrame {
  title: string;
  account: Account | undefined;
  csrfToken: string;
  /** Which nav entry is current. */
  section?: 'home' | 'runs' | 'chat' | 'queue' | 'community' | 'leaderboard' | 'admin' | 'account';
  /** A notice shown above the content (e.g. "label saved"). */
  notice?: string;
}

const NAV: Array<{ section: NonNullable<PageFrame['section']>; href: string; label: string; roles?: string[] }> = [
  { section: 'runs', href: '/runs', label: 'Runs' },
  { section: 'chat', href: '/chat', label: 'Red-team chat', roles: ['admin', 'red-teamer'] },
  { section: 'queue', href: '/queue', label: 'Label queue', roles: ['admin', 'annotator'] },
  { section: 'community', href: '/community', label: 'Findings' },
  { section: 'leaderboard', href: '/leaderboard', label: 'Leaderboard' },
  { section: 'admin', href: '/admin', label: 'Admin', roles: ['admin'] },
];

/**
 * A full page: top bar with the sections the account may use, the content, the app's own stylesheet and script
 * (same origin, no inline code), and the CSRF token in a meta tag for the script's fetch calls.
 */
export function layout(frame: PageFrame, content: SafeHtml): SafeHtml {
  const account = frame.account;
  const links = account === undefined ? [] : NAV.filter((entry) => entry.roles === undefined || entry.roles.includes(account.role));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="csrf-token" content="${frame.csrfToken}">
<title>${frame.title} · redcard</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/"><span class="brand-mark">rc</span> redcard</a>
  <nav aria-label="Sections">${links.map((entry) => html`<a href="${entry.href}"${entry.section === frame.section ? html` aria-current="page"` : ''}>${entry.label}</a>`)}</nav>
  ${account === undefined
    ? html`<div class="who"><a href="/login">Sign in</a></div>`
    : html`<div class="who"><a href="/account" class="user">${account.username}</a> <span class="role role-${account.role}">${account.role}</span>
      <form method="post" action="/logout" class="inline">${csrfField(frame.csrfToken)}<button type="submit" class="link">Sign out</button></form></div>`}
</header>
<main>
${frame.notice ? html`<div class="notice" role="status">${frame.notice}</div>` : ''}
${content}
</main>
<footer class="footer">redcard community red-teaming · model output on these pages is untrusted text, shown escaped · <a href="/api/runs">API</a></footer>
</body>
</html>`;
}

/** The hidden CSRF field every state-changing form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
