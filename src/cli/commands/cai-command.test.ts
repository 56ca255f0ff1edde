import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureIO } from '../../testing/capture-io.js';
import { openStore } from '../../store/sqlite-store.js';
import { main } from '../main.js';
import { startScriptedServer } from '../../targets/testing/scripted-server.js';
import { startSimServer } from '../../targets/sim-server.js';
import { tempDirectory } from '../../testing/temp-directory.js';

const readJsonl = (path: string): unknown[] => readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);

test('cai revise --from a red-team run, prefs, export, report and runs from the command line', async () => {
  const cwd = tempDirectory('redcard-cai-cli-');
  const scan = captureIO({ cwd });
  assert.equal(await main(['scan', '--target', 'sim:weak', '--suite', 'core:vcr', '--quiet'], scan), 0, scan.err());

  const revise = captureIO({ cwd });
  const reviseArgs = ['cai', 'revise', '--from', 'latest', '--include', 'benign', '--target', 'sim:weak', '--critic', 'sim', '--revisions', '2', '--seed', '3'];
  const code = await main([...reviseArgs, '--out', 'rev', '--parquet', '--project-samples', '45000', '--tokens-per-second-per-gpu', '2500'], revise);
  assert.equal(code, 0, revise.err());
  const reviseId = /CAI revise run (cai-\S+): completed \(SIMULATED: critic, target\)/.exec(revise.out())?.[1];
  assert.ok(reviseId, revise.out());
  const harmAfter = /Harm rate of harmful requests before revision: 100\.0% .*\((\d+)\/(\d+)\); after: [\d.]+% .*\((\d+)\/\2\)/.exec(revise.out());
  assert.ok(harmAfter, `revised failures were all harmful before: ${revise.out()}`);
  assert.ok(Number(harmAfter[3]) < Number(harmAfter[1]) / 4, 'and mostly harmless after');
  assert.match(revise.out(), /initial\s+0 requests \(0 cached, \d+ answers reused\)/, "the red-team run's answers are reused, not asked again");
  assert.match(revise.out(), /projection: 45,000 samples × [\d.,]+ completion tokens at 2,500\.0 tokens\/s per GPU = [\d.,]+ GPU-hours/);
  assert.match(revise.err(), /starting CAI revise run/);
  for (const file of ['sft.jsonl', 'sft.parquet', 'prefs.jsonl', 'h4.jsonl', 'trace.jsonl', 'README.md', 'h4/train_sft.jsonl']) assert.ok(existsSync(join(cwd, 'rev', file)), file);
  const store = openStore(join(cwd, '.redcard', 'redcard.db'));
  const items = [...store.cai.iterateItems(reviseId)];
  store.close();
  assert.ok(items.some((item) => item.benign) && items.some((item) => !item.benign), 'benign twins are mixed in');
  assert.equal((readJsonl(join(cwd, 'rev', 'trace.jsonl')) as unknown[]).length, items.length);
  assert.match(readFileSync(join(cwd, 'rev', 'README.md'), 'utf8'), /GPU-hours/);

  const again = captureIO({ cwd });
  assert.equal(await main(['cai', 'revise', '--resume', reviseId], again), 0, again.err());
  assert.match(again.out(), new RegExp(`CAI revise run ${reviseId}: completed`), '--resume alone takes the recorded settings');
  assert.match(again.err(), new RegExp(`resuming CAI revise run ${reviseId}: ${items.length} items, ${items.length} already done`));
  const wrongKind = captureIO({ cwd });
  assert.equal(await main(['cai', 'prefs', '--resume', reviseId], wrongKind), 2);
  assert.match(wrongKind.err(), /is a revise run: resume it with 'redcard cai revise'/);

  const prefs = captureIO({ cwd });
  assert.equal(await main(['cai', 'prefs', '--from', 'rev', '--target', 'sim', '--feedback', 'sim', '--principles-per-pair', '2', '--out', 'prefs'], prefs), 0, prefs.err());
  assert.match(prefs.out(), /CAI prefs run cai-\S+: completed/);
  assert.match(prefs.out(), /Labels: logprobs \d+/);
  assert.ok(existsSync(join(cwd, 'prefs', 'prefs.jsonl')));

  const exported = captureIO({ cwd });
  assert.equal(await main(['cai', 'export', reviseId, '--out', 'again'], exported), 0, exported.err());
  assert.deepEqual(readFileSync(join(cwd, 'again', 'sft.jsonl'), 'utf8'), readFileSync(join(cwd, 'rev', 'sft.jsonl'), 'utf8'), 'export writes what the run wrote');

  const markdown = captureIO({ cwd });
  assert.equal(await main(['cai', 'report', reviseId, '--format', 'md'], markdown), 0, markdown.err());
  assert.match(markdown.out(), new RegExp(`^# CAI revise run ${reviseId}`));
  assert.match(markdown.out(), /\*\*SIMULATED\*\*/);
  const html = captureIO({ cwd });
  assert.equal(await main(['cai', 'report', 'latest', '--out', 'prefs.html', '--examples', '2'], html), 0, html.err());
  const page = readFileSync(join(cwd, 'prefs.html'), 'utf8');
  assert.match(page, /<h1>CAI prefs run/, 'latest is the newest CAI run');
  assert.equal(page.match(/<div class="attempt">/g)?.length, 2, '--examples caps the examples');

  const runs = captureIO({ cwd });
  assert.equal(await main(['cai', 'runs'], runs), 0);
  assert.match(runs.out(), /prefs\s+completed/);
  assert.match(runs.out(), new RegExp(`${reviseId}\\s+revise\\s+completed\\s+${items.length}/${items.length}`));
  const fromLatest = captureIO({ cwd });
  assert.equal(await main(['cai', 'prefs', '--from', 'latest', '--target', 'sim', '--limit', '2', '--quiet'], fromLatest), 0, fromLatest.err());
  const latestPrefs = openStore(join(cwd, '.redcard', 'redcard.db'));
  try {
    const newest = latestPrefs.cai.listRuns('prefs')[0]!;
    assert.match(JSON.stringify(newest.settings), new RegExp(`"from":"${reviseId}"`), '--from latest on prefs is the newest finished revise run');
  } finally {
    latestPrefs.close();
  }
});

test('cai usage errors are one line naming the flag, exit 2', async () => {
  const cwd = tempDirectory('redcard-cai-cli-');
  const cases: Array<{ args: string[]; message: RegExp; code?: number }> = [
    { args: ['cai'], message: /expected one of revise, prefs, export, report, runs/ },
    { args: ['cai', 'revise', '--suite', 'core'], message: /field '--target': cai revise needs --target SPEC: the model whose answers are revised, and the critic unless --critic/ },
    { args: ['cai', 'prefs', '--from', 'x'], message: /field '--target': cai prefs needs --target SPEC: the model whose answers are compared/ },
    { args: ['cai', 'revise', '--target', 'sim'], message: /give either --from RUN .* or --suite SPEC/ },
    { args: ['cai', 'revise', '--target', 'sim', '--suite', 'core', '--include', 'harmful'], message: /--include.*unknown value 'harmful'/ },
    { args: ['cai', 'revise', '--target', 'sim', '--suite', 'core', '--feedback', 'sim'], message: /--feedback.*cai prefs/ },
    { args: ['cai', 'revise', '--target', 'sim', '--suite', 'core', '--revisions', 'two'], message: /--revisions.*whole number/ },
    { args: ['cai', 'revise', '--target', 'sim', '--suite', 'core', '--project-samples', '45000'], message: /--tokens-per-second-per-gpu.*needs both/ },
    { args: ['cai', 'revise', '--target', 'sim', '--suite', 'core', '--parquet'], message: /--parquet needs --out/ },
    { args: ['cai', 'prefs', '--target', 'sim', '--from', 'x', '--position', 'left'], message: /--position/ },
    { args: ['cai', 'report', 'latest', '--format', 'pdf'], message: /unknown format 'pdf'/ },
    { args: ['cai', 'report', 'latest'], message: /no store at .*redcard\.db/, code: 1 },
    { args: ['cai', 'runs'], message: /no store at .*redcard\.db/, code: 1 },
  ];
  for (const { args, message, code } of cases) {
    const io = captureIO({ cwd });
    const exit = await main(args, io);
    assert.equal(exit, code ?? 2, `${args.join(' ')}: ${io.err()}`);
    assert.match(io.err(), message, args.join(' '));
    assert.equal(io.err().trim().split('\n').length, 1, `one line: ${io.err()}`);
  }
  assert.ok(!existsSync(join(cwd, '.redcard')), 'no store is made by a command with bad flags');
});

test('a server that refuses every call: a few error lines, a count, exit 5, and the errored units redone by --resume', async () => {
  const cwd = tempDirectory('redcard-cai-cli-');
  let failing = true;
  const server = await startScriptedServer(() => (failing ? { status: 400, body: { error: { message: 'bad request' } } } : { body: { choices: [{ message: { role: 'assistant', content: 'Revision: fine.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2 } } }));
  try {
    const args = ['cai', 'revise', '--suite', 'core:vcr', '--target', `openai:base-url=${server.url},model=m`, '--quiet'];
    const first = captureIO({ cwd });
    assert.equal(await main(args, first), 5, first.err());
    const errorLines = first.err().split('\n').filter((line) => /: error at initial: /.test(line));
    assert.equal(errorLines.length, 5, 'five errors shown one by one');
    assert.match(first.err(), /42 units errored in this session \(37 not shown; 'redcard cai report cai-\S+' lists them\)/);
    const runId = /42 units have errors: 'redcard cai revise --resume (cai-\S+)' redoes them/.exec(first.err())?.[1];
    assert.ok(runId, first.err());
    assert.match(first.out(), /Items: 42 .*42 with errors/);
    failing = false;
    const second = captureIO({ cwd });
    assert.equal(await main(['cai', 'revise', '--resume', runId, '--quiet'], second), 0, second.err());
    assert.match(second.err(), new RegExp(`resuming CAI revise run ${runId}: 42 items`));
    assert.match(second.out(), /Items: 42 .*0 with errors/);
  } finally {
    await server.close();
  }
});

test('cai revise and prefs through OpenAI Batch files (sim run-batch as the cluster): the same data as online, soft labels kept', async () => {
  const cwd = tempDirectory('redcard-cai-batch-');
  const server = await startSimServer({});
  const itemsOf = (database: string, runId: string) => {
    const store = openStore(join(cwd, database));
    try {
      return [...store.cai.iterateItems(runId)].map((item) => [item.key, item.initial.text, item.rounds.map((round) => [round.principle, round.critique, round.revision.text]), item.guard]);
    } finally {
      store.close();
    }
  };
  try {
    const online = captureIO({ cwd });
    assert.equal(await main(['cai', 'revise', '--suite', 'core:vcr', '--limit', '4', '--target', `openai:base-url=${server.url},model=sim`, '--db', 'online.db', '--quiet'], online), 0, online.err());
    const onlineId = /CAI revise run (cai-\S+): completed/.exec(online.out())![1]!;

    // No server at all: every call goes into a Batch file, answered by `redcard sim run-batch`, one stage per round.
    const offline = 'openai:base-url=http://127.0.0.1:9/v1,model=sim';
    const first = captureIO({ cwd });
    assert.equal(await main(['cai', 'revise', '--suite', 'core:vcr', '--limit', '4', '--target', offline, '--db', 'batch.db', '--batch-export', 'requests-1.jsonl', '--quiet'], first), 0, first.err());
    const runId = /--resume (cai-\S+) --batch-import/.exec(first.err())![1]!;
    assert.match(first.err(), /4 units wait for Batch answers: wrote 4 requests/);
    let round = 1;
    for (; round <= 5; round += 1) {
      const runBatch = captureIO({ cwd });
      assert.equal(await main(['sim', 'run-batch', '-i', `requests-${round}.jsonl`, '-o', `results-${round}.jsonl`], runBatch), 0, runBatch.err());
      const next = captureIO({ cwd });
      assert.equal(await main(['cai', 'revise', '--resume', runId, '--db', 'batch.db', '--batch-import', `results-${round}.jsonl`, '--batch-export', `requests-${round + 1}.jsonl`, '--quiet'], next), 0, next.err());
      assert.match(next.err(), /read 4 lines: 4 answers and 0 error lines recorded/);
      if (/CAI revise run \S+: completed/.test(next.out())) break;
    }
    assert.equal(round, 3, 'initial answers, critiques, revisions: three rounds');
    assert.ok(!existsSync(join(cwd, 'requests-4.jsonl')), 'nothing left to export');
    assert.deepEqual(itemsOf('batch.db', runId), itemsOf('online.db', onlineId), 'the same items as the online run');

    const prefs = captureIO({ cwd });
    assert.equal(await main(['cai', 'prefs', '--from', runId, '--target', offline, '--db', 'batch.db', '--batch-export', 'feedback-1.jsonl', '--quiet'], prefs), 0, prefs.err());
    const prefsId = /--resume (cai-\S+) --batch-import/.exec(prefs.err())![1]!;
    assert.match(readFileSync(join(cwd, 'feedback-1.jsonl'), 'utf8'), /"logprobs":true,"top_logprobs":5/);
    let labelled = captureIO({ cwd });
    let feedbackRound = 1;
    for (; feedbackRound <= 4; feedbackRound += 1) {
      assert.equal(await main(['sim', 'run-batch', '-i', `feedback-${feedbackRound}.jsonl`, '-o', `feedback-results-${feedbackRound}.jsonl`], captureIO({ cwd })), 0);
      labelled = captureIO({ cwd });
      const args = ['cai', 'prefs', '--resume', prefsId, '--db', 'batch.db', '--batch-import', `feedback-results-${feedbackRound}.jsonl`, '--batch-export', `feedback-${feedbackRound + 1}.jsonl`, '--quiet'];
      assert.equal(await main(args, labelled), 0, labelled.err());
      if (/CAI prefs run \S+: completed/.test(labelled.out())) break;
    }
    assert.equal(feedbackRound, 2, 'each pair is asked in both orders, one after the other: two rounds');
    assert.match(labelled.out(), /Labels: logprobs 4 \(8 judgments\)/, 'the log-probabilities survive the Batch file');
  } finally {
    await server.close();
  }
});

test('--batch-import needs --resume ID', async () => {
  const io = captureIO({ cwd: tempDirectory('redcard-cai-batch-') });
  assert.equal(await main(['cai', 'revise', '--suite', 'core', '--target', 'sim', '--batch-import', 'results.jsonl'], io), 2);
  assert.match(io.err(), /--batch-import needs --resume ID/);
});

test('a Batch error line is an error of its unit; --resume --batch-export asks the call again (its next try) and the run completes', async () => {
  const cwd = tempDirectory('redcard-cai-batch-');
  const offline = 'openai:base-url=http://127.0.0.1:9/v1,model=sim';
  const first = captureIO({ cwd });
  assert.equal(await main(['cai', 'revise', '--suite', 'core:vcr', '--limit', '2', '--target', offline, '--batch-export', 'r1.jsonl', '--quiet'], first), 0, first.err());
  const runId = /--resume (cai-\S+) --batch-import/.exec(first.err())![1]!;
  assert.equal(await main(['sim', 'run-batch', '-i', 'r1.jsonl', '-o', 'o1.jsonl', '--error-rate', '1'], captureIO({ cwd })), 0);
  const failed = captureIO({ cwd });
  assert.equal(await main(['cai', 'revise', '--resume', runId, '--batch-import', 'o1.jsonl', '--quiet'], failed), 5, failed.err());
  assert.match(failed.err(), /2 units have errors: 'redcard cai revise --resume \S+ --batch-export FILE' asks their calls again/);
  const again = captureIO({ cwd });
  assert.equal(await main(['cai', 'revise', '--resume', runId, '--batch-export', 'r2.jsonl', '--quiet'], again), 0, again.err());
  assert.match(again.out(), /: interrupted/, 'units waiting for answers: the run is not done, whatever errors they held');
  assert.deepEqual(readJsonl(join(cwd, 'r2.jsonl')).map((line) => String((line as { custom_id: string }).custom_id).endsWith('-r2')), [true, true], 'the second try of each call');
  for (let round = 2; round <= 4; round += 1) {
    assert.equal(await main(['sim', 'run-batch', '-i', `r${round}.jsonl`, '-o', `o${round}.jsonl`], captureIO({ cwd })), 0);
    const next = captureIO({ cwd });
    assert.equal(await main(['cai', 'revise', '--resume', runId, '--batch-import', `o${round}.jsonl`, '--batch-export', `r${round + 1}.jsonl`, '--quiet'], next), 0, next.err());
    if (round === 4) assert.match(next.out(), /: completed .*\n  Items: 2 .*0 with errors; 2 usable/);
  }
});
