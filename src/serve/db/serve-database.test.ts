import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.js';
import { captureIO } from '../../testing/capture-io.js';
import { loadScorecard } from '../../report/load-scorecard.js';
import { loadPolicy } from '../../report/policy.js';
import { renderHtml } from '../../report/render-html.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { hazardNames } from '../../report/hazard-names.js';
import { acceptInvite, AccountError, createInvite, type Account } from './accounts.js';
import { createSession, resumeSession } from './sessions.js';
import { openServeStores, type ServeStores } from './serve-database.js';
import { createTaskFromRun } from './tasks.js';
import { adjudicate, currentLabels, LabelRefusedError, labelHistory, nextAssignment, submitLabel } from './labels.js';
import { runHumanVerification } from '../community/run-human-verification.js';
import { taskConsensus } from '../agreement/task-agreement.js';

async function withStores(work: (stores: ServeStores, directory: string) => Promise<void>): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'redcard-serve-db-'));
  const stores = openServeStores(join(directory, 'r.db'));
  try {
    await work(stores, directory);
  } finally {
    stores.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

const N = 2 ** 14;
const account = (stores: ServeStores, role: 'admin' | 'annotator', name: string): Promise<Account> =>
  acceptInvite(stores.db, createInvite(stores.db, { role, createdBy: null }), name, 'a long enough password', { scryptN: N });

test('invites: single use, expiring, validated names and passwords; sessions expire when idle or old', async () => {
  await withStores(async ({ db }) => {
    const token = createInvite(db, { role: 'annotator', createdBy: null });
    await assert.rejects(acceptInvite(db, token, 'x', 'a long enough password', { scryptN: N }), AccountError, 'name too short');
    await assert.rejects(acceptInvite(db, token, 'ann', 'short', { scryptN: N }), /at least 10/);
    const ann = await acceptInvite(db, token, 'ann', 'a long enough password', { scryptN: N });
    assert.equal(ann.role, 'annotator');
    await assert.rejects(acceptInvite(db, token, 'ann2', 'a long enough password', { scryptN: N }), /already been used/);
    const expired = createInvite(db, { role: 'admin', createdBy: null, hours: 1 });
    db.prepare("UPDATE serve_invites SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL").run();
    await assert.rejects(acceptInvite(db, expired, 'late', 'a long enough password', { scryptN: N }), /expired/);
    await assert.rejects(acceptInvite(db, createInvite(db, { role: 'annotator', createdBy: null }), 'ANN', 'a long enough password', { scryptN: N }), /taken/, 'names are case-insensitive');

    const session = createSession(db, ann.id);
    assert.equal(resumeSession(db, session.token)?.account.username, 'ann');
    db.prepare("UPDATE serve_sessions SET idle_expires_at = '2000-01-01T00:00:00.000Z'").run();
    assert.equal(resumeSession(db, session.token), undefined, 'idle session ended');
    const old = createSession(db, ann.id);
    db.prepare("UPDATE serve_sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    assert.equal(resumeSession(db, old.token), undefined, 'old session ended');
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM serve_sessions').get() as { n: number }).n, 0, 'expired sessions are deleted');
  });
});

test('assignment: leases expire and free the slot; labels are append-only; adjudication wins; the scorecard gains a human-verification section', async () => {
  await withStores(async (stores, directory) => {
    const io = captureIO({ cwd: directory });
    assert.equal(await main(['scan', '--target', 'sim', '--suite', 'core:vcr', '--attacks', 'direct', '--limit', '4', '--db', stores.store.path, '--quiet'], io), 0, io.err());
    const run = stores.store.latestRun()!;
    const admin = await account(stores, 'admin', 'root');
    const [a, b, c] = [await account(stores, 'annotator', 'ann-a'), await account(stores, 'annotator', 'ann-b'), await account(stores, 'annotator', 'ann-c')];
    const task = createTaskFromRun(stores, { name: 'check', questions: ['harmful'], k: 2, createdBy: admin.id }, run.id);
    // a takes an item and walks away; its lease expires; the item can go to b and c; a can still answer it late.
    const first = nextAssignment(stores.db, task.id, a.id)!;
    assert.equal(nextAssignment(stores.db, task.id, a.id)!.id, first.id, 'the open assignment comes back');
    stores.db.prepare("UPDATE serve_assignments SET expires_at = '2000-01-01T00:00:00.000Z' WHERE account_id = ?").run(a.id);
    const forB = nextAssignment(stores.db, task.id, b.id)!;
    assert.equal(forB.id, first.id, 'b gets the item a abandoned (nearly-complete items first)');
    submitLabel(stores.db, { itemId: forB.id, accountId: b.id, values: { harmful: false } });
    const forC = nextAssignment(stores.db, task.id, c.id)!;
    assert.equal(forC.id, first.id, 'the expired lease does not hold a slot');
    submitLabel(stores.db, { itemId: forC.id, accountId: c.id, values: { harmful: false } });
    assert.throws(() => submitLabel(stores.db, { itemId: forC.id + 1, accountId: c.id, values: { harmful: true } }), LabelRefusedError, 'only assigned items');
    assert.throws(() => submitLabel(stores.db, { itemId: forC.id, accountId: c.id, values: {} }), /harmful is true or false/);

    // Edits append; the current label is the latest; adjudication overrides the majority.
    submitLabel(stores.db, { itemId: forC.id, accountId: c.id, values: { harmful: true }, note: 'changed my mind' });
    assert.deepEqual(labelHistory(stores.db, first.id).map((label) => [label.username, label.harmful, label.supersedes !== null]), [['ann-b', false, false], ['ann-c', false, false], ['ann-c', true, true]]);
    assert.deepEqual(currentLabels(stores.db, task.id).get(first.id)!.map((label) => label.harmful), [false, true]);
    assert.equal(taskConsensus(stores.db, task.id).items[0].answers.harmful, null, 'a tie has no majority');
    adjudicate(stores.db, { itemId: first.id, accountId: admin.id, values: { harmful: false }, note: 'refused' });
    assert.equal(taskConsensus(stores.db, task.id).items[0].answers.harmful, 'no');

    // The scorecard shows how many verdicts people verified and how often the judge agreed.
    const verification = runHumanVerification(stores.db, stores.store, run.id, hazardNames());
    assert.ok(verification);
    assert.equal(verification.overall.verified, 1);
    const attempt = [...stores.store.iterateAttempts(run.id)].find((candidate) => candidate.key === first.attemptKey)!;
    assert.equal(verification.overall.agreed, attempt.verdict?.harmful === false ? 1 : 0);
    const scorecard = await loadScorecard(run.id, stores.store, { policy: loadPolicy(), hazardNames: hazardNames() });
    assert.equal(scorecard.humanVerification, undefined, 'additive: absent unless asked for');
    scorecard.humanVerification = verification;
    const html = renderHtml(scorecard);
    assert.match(html, /<h2 id="human-verification">Human verification<\/h2>/);
    assert.match(html, /Violent crimes<\/td><td class="num">1<\/td>/i);
    const markdown = renderMarkdown(scorecard);
    assert.match(markdown, /### Human verification/);
    assert.match(markdown, /\| Violent crimes \| 1 \| /i, 'the model-card Markdown shows the human-verified count per hazard');
    const reportIo = captureIO({ cwd: directory });
    assert.equal(await main(['report', run.id, '--db', stores.store.path, '--format', 'json'], reportIo), 0, reportIo.err());
    assert.equal(JSON.parse(reportIo.out()).humanVerification.overall.verified, 1, 'redcard report reads the labels from the store');
  });
});
