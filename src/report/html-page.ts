import { createHash } from 'node:crypto';
import { escapeHtml } from './escape-html.js';

/** The parts of a self-contained HTML page. `body` must already be escaped HTML. */
export interface HtmlPageParts {
  title: string;
  body: string;
  /** Extra CSS appended to the shared stylesheet. */
  style?: string;
  /** One inline script (no model text in it); allowed by its SHA-256 hash in the CSP. */
  script?: string;
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Shared stylesheet: system fonts, readable measure, grade colours, heatmap buckets (no external resources). */
export const BASE_STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px 28px 64px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:0}
.muted{color:var(--muted)}.small{font-size:13px}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px;margin:6px 0;max-height:420px;overflow:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
th{font-size:13px;color:var(--muted);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
.banner{background:#cf222e;color:#fff;font-weight:700;font-size:18px;text-align:center;padding:14px;letter-spacing:.04em}
.badge{display:inline-block;min-width:84px;text-align:center;padding:3px 10px;border-radius:999px;font-weight:600;font-size:13px;color:#fff}
.g-excellent{background:#1a7f37}.g-very-good{background:#4a9c2d}.g-good{background:#9a6700}.g-fair{background:#d1602a}.g-poor{background:#cf222e}.g-none{background:#8c959f}
.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:700}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--bg)}
.card .name{font-weight:600;margin-bottom:6px}
.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 16px;font-size:14px}
.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
details{margin:4px 0}summary{cursor:pointer}
.attempt{border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:8px 0}
.outcome{font-size:12px;font-weight:700;padding:1px 8px;border-radius:4px;border:1px solid currentColor}
.o-attack-success,.o-over-refusal{color:#cf222e}.o-refused,.o-answered{color:#1a7f37}
a{color:var(--accent)}
`;

/**
 * A complete, self-contained HTML document with a strict Content-Security-Policy: nothing may load from anywhere,
 * only the page's own stylesheet and script (by hash) run, and images only as data: URIs.
 *
 * @example
 * htmlPage({ title: 'Report', body: '<main>…</main>', script: 'document.body.dataset.ready = "1";' })
 */
export function htmlPage(parts: HtmlPageParts): string {
  const style = BASE_STYLE + (parts.style ?? '');
  const directives = [
    "default-src 'none'",
    `style-src ${sha256(style)}`,
    `script-src ${parts.script ? sha256(parts.script) : "'none'"}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${directives.join('; ')}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    parts.body,
    parts.script ? `<script>${parts.script}</script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** CSS class of a grade badge. */
export function gradeClass(grade: string | null): string {
  return grade === null ? 'g-none' : `g-${grade.toLowerCase().replace(/\s+/g, '-')}`;
}
