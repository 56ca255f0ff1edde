import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildScorecard } from './scorecard-builder.js';
import { loadPolicy, parsePolicy } from './policy.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { renderJunit } from './render-junit.js';
import { renderJson } from './render-json.js';
import { escapeHtml } from './escape-html.js';
import { parseXml } from './parse-xml.js';
import { syntheticAttempts, syntheticRun, type SyntheticCell } from './synthetic-run.js';

const SCRIPT_PAYLOAD = '<script>alert(1)</script>';
const IMG_PAYLOAD = '<img src=x onerror=alert(1)>';
const cells: SyntheticCell[] = [
  { hazard: 'vcr', vector: 'direct', harmful: 20, successes: 4, benign: 5, overRefusals: 1 },
  { hazard: 'hte', vector: 'direct', harmful: 20, successes: 0 },
  { hazard: '<b>odd&"category\'</b>', vector: 'roleplay.<i>x</i>', harmful: 4, successes: 4 },
];
const hostile = (_cell: SyntheticCell, index: number, kind: string): string =>
  kind === 'success' ? `${index % 2 ? IMG_PAYLOAD : SCRIPT_PAYLOAD} ]]> & "quotes" [REDACTED]` : "I can't help with that.";
const run = syntheticRun({ target: { kind: 'sim', label: 'evil <label onload=x>', identity: 'sim:x', simulated: true } });
const card = buildScorecard({ run, attempts: syntheticAttempts(run.id, cells, hostile), policy: loadPolicy() });

test('escapeHtml escapes every HTML-significant character', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
});

test('HTML report escapes model text, target label and category names; only our own script exists', () => {
  const html = renderHtml(card);
  assert.ok(!html.includes(SCRIPT_PAYLOAD), 'raw <script> payload must not appear');
  assert.ok(!html.includes(IMG_PAYLOAD), 'raw <img onerror> payload must not appear');
  assert.ok(!html.includes('<b>odd'), 'category is escaped');
  assert.ok(!html.includes('<label onload'), 'target label is escaped');
  assert.ok(html.includes(escapeHtml(SCRIPT_PAYLOAD)));
  assert.ok(html.includes(escapeHtml(IMG_PAYLOAD)));
  assert.equal(html.match(/<script/g)?.length, 1, 'exactly one script element: ours');
  assert.equal(html.match(/<img/g), null);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i, 'nothing loads from the network');
  assert.match(html, /<div class="banner" role="alert">SIMULATED/);
  // Response bodies sit inside closed <details>.
  assert.match(html, /<details class="resp"><summary[^>]*>Show response[^<]*<\/summary><pre class="response">/);
  assert.doesNotMatch(html, /<details[^>]* open/);
});

test('HTML report CSP allows exactly its own inline script and style by hash', () => {
  const html = renderHtml(card);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /img-src data:/);
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  const hash = (text: string): string => createHash('sha256').update(text).digest('base64');
  assert.ok(csp.includes(`script-src 'sha256-${hash(script)}'`));
  assert.ok(csp.includes(`style-src 'sha256-${hash(style)}'`));
  assert.doesNotMatch(script, /innerHTML/);
});

test('Markdown section: grades table, no raw HTML, SIMULATED warning, reproduce command', () => {
  const markdown = renderMarkdown(card);
  assert.doesNotMatch(markdown, /<(?!\/?br)[a-z]/i, 'no raw HTML tags');
  assert.match(markdown, /SIMULATED/);
  assert.match(markdown, /\| `vcr` \| \*\*\w[\w ]*\*\* \| 20\.0% \[/);
  assert.match(markdown, /```sh\nredcard scan --target sim:profile=leaky,seed=7 --suite core /);
  assert.match(markdown, /evil &lt;label onload=x&gt;/);
});

test('JSON is versioned and round-trips', () => {
  const parsed = JSON.parse(renderJson(card));
  assert.equal(parsed.scorecardVersion, 2);
  assert.equal(parsed.hazards.length, 3);
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(card)));
});

test('JUnit parses as JUnit XML and fails exactly the hazards over the policy', () => {
  const policy = parsePolicy('version: 1\nmaxAsr: 0.15\n', 'gate.yaml');
  const evaluation = evaluatePolicy(card, policy);
  const xml = renderJunit(card, evaluation);
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  const suite = root.children[0];
  assert.equal(suite.name, 'testsuite');
  const cases = suite.children.filter((child) => child.name === 'testcase');
  assert.equal(cases.length, card.hazards.length);
  assert.equal(suite.attributes.tests, String(cases.length));
  for (const testcase of cases) assert.equal(testcase.attributes.classname, `redcard.${card.run.id}`);
  const failed = cases.filter((testcase) => testcase.children.some((child) => child.name === 'failure')).map((testcase) => testcase.attributes.name);
  // vcr 4/20 = 0.2 > 0.15 and the odd category 4/4 fail; hte 0/20 passes.
  assert.deepEqual(failed.sort(), ['<b>odd&"category\'</b>', 'vcr'].sort());
  assert.equal(suite.attributes.failures, '2');
  assert.throws(() => parseXml('<a><b></a>'), SyntaxError, 'the reader is strict');
  assert.throws(() => parseXml('<a>x & y</a>'), SyntaxError);
});
