import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { captureIO } from '../testing/capture-io.js';
import { main } from '../cli/main.js';
import { sharedDataPath } from '../util/paths.js';
import { CONVERSATIONS, alpacaRows, shareGptRows, writeAuditFixtures } from './testing/audit-fixtures.js';
import type { AuditSummary } from './audit-summary.js';
import { tempDirectory } from '../testing/temp-directory.js';

interface AuditJson extends AuditSummary {
  copy: { rowsRead: number; rowsKept: number; rowsTruncated: number; rowsDropped: number; messagesRemoved: number; byReason: Record<string, number> } | null;
  labels: { judge: Record<string, number | null>; phrases: Record<string, number | null>; matched: number } | null;
}

async function audit(args: string[], cwd = tmpdir()): Promise<{ code: number; json: AuditJson | undefined; err: string; out: string }> {
  const io = captureIO({ cwd });
  const code = await main(['audit', ...args, '--workers', '0'], io);
  let json: AuditJson | undefined;
  if (code === 0 && args.includes('--json')) json = JSON.parse(io.out()) as AuditJson;
  return { code, json, err: io.err(), out: io.out() };
}

const fixtures = writeAuditFixtures(tempDirectory('redcard-audit-'));

test('audit counts the known refusals and disclaimers in every format and layout', async () => {
  const cases: Array<[string, string[], { messages: number; refusal: number; disclaimer: number; flaggedRows: number }]> = [
    [fixtures.sharegptJson, [], { messages: 8, refusal: 3, disclaimer: 2, flaggedRows: 4 }],
    [fixtures.sharegptJsonl, ['--format', 'sharegpt'], { messages: 8, refusal: 3, disclaimer: 2, flaggedRows: 4 }],
    [fixtures.sharegptParquet, ['--format', 'parquet'], { messages: 8, refusal: 3, disclaimer: 2, flaggedRows: 4 }],
    [fixtures.messagesJsonl, ['--format', 'messages'], { messages: 8, refusal: 3, disclaimer: 2, flaggedRows: 4 }],
    [fixtures.alpacaJson, ['--format', 'alpaca'], { messages: 6, refusal: 3, disclaimer: 1, flaggedRows: 3 }],
    [fixtures.customJsonl, ['--format', 'jsonl', '--map', 'instruction=question,output=answer,id=uid'], { messages: 6, refusal: 3, disclaimer: 1, flaggedRows: 3 }],
  ];
  for (const [file, flags, expected] of cases) {
    const { code, json, err } = await audit([file, '--json', ...flags]);
    assert.equal(code, 0, `${file}: ${err}`);
    const totals = json!.totals;
    assert.deepEqual({ messages: totals.messages, refusal: totals.refusal, disclaimer: totals.disclaimer, flaggedRows: totals.flaggedRows }, expected, file);
    assert.equal(totals.rows, 6, file);
    assert.equal(json!.rates.refusal.estimate, expected.refusal / expected.messages);
  }
  const { json } = await audit([fixtures.sharegptJson, '--json']);
  assert.deepEqual(json!.topDisclaimers.map((entry) => entry.kind).sort(), ['ai-identity', 'knowledge-cutoff']);
  assert.deepEqual(json!.examples.refusals.map((example) => `${example.row}:${example.turn}`), ['c1:1', 'c4:1', 'c5:1']);
  assert.ok(json!.examples.refusals.every((example) => example.reason.length > 0));
  assert.equal(json!.examples.refusals[0]!.excerpt, "I'm sorry, but I can't help with that request.", 'the flagged message itself');
  assert.ok([...json!.examples.refusals, ...json!.examples.disclaimers].every((example) => example.excerpt.length > 0));
  assert.equal(json!.topPhrasings.refusal[0]!.count, 1);
});

test('--verdicts-out writes one line per assistant message with row, turn, label and reason; text output names examples', async () => {
  const directory = tempDirectory('redcard-audit-verdicts-');
  const out = join(directory, 'verdicts.jsonl');
  const { code, out: text } = await audit([fixtures.sharegptJson, '--verdicts-out', out]);
  assert.equal(code, 0);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines.length, 8);
  assert.deepEqual(lines.map((line) => `${line.row}:${line.turn}`), ['c1:1', 'c2:1', 'c2:3', 'c3:2', 'c4:1', 'c4:3', 'c5:1', 'c6:1']);
  assert.ok(lines.every((line) => typeof line.label === 'string' && typeof line.reason === 'string'));
  assert.equal(lines[2]!.disclaimer, 'as an ai language model');
  // Rows without an id field are named by their 0-based index.
  const alpaca = join(directory, 'alpaca-verdicts.jsonl');
  await audit([fixtures.alpacaJson, '--verdicts-out', alpaca]);
  assert.deepEqual(readFileSync(alpaca, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { row: number }).row), [0, 1, 2, 3, 4, 5]);
  assert.match(text, /refusal\s+3\s+37\.5%/);
  assert.match(text, /examples \(disclaimers\):\n {2}row c2 turn 3/);
});

/** Rows of a copy, parsed in its format. */
async function readCopy(path: string): Promise<unknown[]> {
  if (path.endsWith('.parquet')) return parquetReadObjects({ file: await asyncBufferFromFile(path) });
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.jsonl') ? text.trim().split('\n').map((line) => JSON.parse(line)) : (JSON.parse(text) as unknown[]);
}

test('filtered copies parse in their format and hold exactly the kept rows, cut at the flagged turn', async () => {
  const directory = tempDirectory('redcard-audit-copy-');
  const rows = shareGptRows();
  const byId = (id: string) => rows.find((row) => row.id === id)!;
  const cut = (id: string, keep: number) => ({ ...byId(id), conversations: byId(id).conversations.slice(0, keep) });
  const expectations: Array<[string[], unknown[], Record<string, number>]> = [
    [['--drop', 'refusals'], [byId('c2'), byId('c3'), byId('c6')], { rowsDropped: 3, rowsKept: 3, rowsTruncated: 0 }],
    [['--drop', 'disclaimers'], [byId('c1'), cut('c2', 2), byId('c3'), byId('c4'), byId('c6')], { rowsDropped: 1, rowsTruncated: 1, messagesRemoved: 4 }],
    [['--drop', 'refusals,disclaimers', '--level', 'conversation'], [byId('c3'), byId('c6')], { rowsDropped: 4 }],
    [['--only', 'refusals'], [byId('c1'), cut('c4', 2), byId('c5')], { rowsKept: 3, rowsTruncated: 1 }],
  ];
  for (const source of [fixtures.sharegptJson, fixtures.sharegptJsonl, fixtures.sharegptParquet]) {
    const extension = source.slice(source.lastIndexOf('.'));
    for (const [index, [flags, expected, counts]] of expectations.entries()) {
      const out = join(directory, `copy-${index}${extension}`);
      const { code, json, err } = await audit([source, '--json', ...flags, '--out', out]);
      assert.equal(code, 0, err);
      assert.deepEqual(await readCopy(out), expected, `${source} ${flags.join(' ')}`);
      for (const [name, value] of Object.entries(counts)) assert.equal((json!.copy as Record<string, unknown>)[name], value, `${source} ${flags.join(' ')} ${name}`);
      assert.ok(!existsSync(`${out}.partial`));
    }
  }
  // Alpaca rows have one answer: message level drops the row.
  const out = join(directory, 'alpaca-clean.json');
  assert.equal((await audit([fixtures.alpacaJson, '--drop', 'refusals', '--out', out])).code, 0);
  assert.deepEqual(await readCopy(out), alpacaRows().filter((_, index) => [1, 2, 5].includes(index)));
  assert.equal(CONVERSATIONS.length, 6);
  // A bad combination is a clear usage error.
  assert.equal((await audit([fixtures.alpacaJson, '--drop', 'everything', '--out', out])).code, 2);
  assert.equal((await audit([fixtures.alpacaJson, '--drop', 'refusals'])).code, 2);
  assert.equal((await audit([fixtures.alpacaJson, '--drop', 'refusals', '--out', fixtures.alpacaJson])).code, 2);
});

test('a malformed row names its line: --lenient skips and counts it, without it the audit stops cleanly', async () => {
  const directory = tempDirectory('redcard-audit-bad-');
  const jsonl = join(directory, 'bad.jsonl');
  const lines = shareGptRows().map((row) => JSON.stringify(row));
  lines.splice(2, 0, '{"id": "broken", "conversations": [');
  lines.splice(4, 0, '{"id": "shapeless", "conversations": "not a list"}');
  writeFileSync(jsonl, `${lines.join('\n')}\n`);
  const out = join(directory, 'clean.jsonl');
  const strict = await audit([jsonl, '--drop', 'refusals', '--out', out]);
  assert.equal(strict.code, 2, 'dataset errors exit 2');
  assert.match(strict.err, /bad\.jsonl:3: invalid JSON/);
  assert.doesNotMatch(strict.err, /at .*\.js:\d+/, 'no stack trace');
  assert.deepEqual(readdirSync(directory).sort(), ['bad.jsonl'], 'no copy left behind');
  const lenient = await audit([jsonl, '--lenient', '--json', '--drop', 'refusals', '--out', out]);
  assert.equal(lenient.code, 0, lenient.err);
  assert.match(lenient.err, /skipped .*bad\.jsonl:3: invalid JSON/);
  assert.match(lenient.err, /skipped .*bad\.jsonl:5: missing 'conversations'/);
  assert.equal(lenient.json!.totals.rows, 6);
  assert.equal(lenient.json!.totals.malformed, 2);
  assert.deepEqual(lenient.json!.files[0]!.skipped.map((entry) => entry.line), [3, 5]);
  assert.equal((await readCopy(out)).length, 3);
  // In a JSON array, a row of the wrong shape is named by the line it starts on.
  const array = join(directory, 'bad.json');
  const rows: unknown[] = shareGptRows();
  rows.splice(1, 0, { id: 'shapeless', conversations: [{ from: 'human', value: 7 }] });
  writeFileSync(array, JSON.stringify(rows, null, 2));
  const startLine = JSON.stringify(rows, null, 2).split('\n').findIndex((line) => line.includes('"shapeless"'));
  const failed = await audit([array]);
  assert.equal(failed.code, 2);
  assert.match(failed.err, new RegExp(`bad\\.json:${startLine}: conversations\\[0\\]\\.value must be a string`));
  // Broken JSON syntax inside an array cannot be skipped: it stops, naming the line, even with --lenient.
  writeFileSync(array, '[\n  {"id": "a", "conversations": []},\n  {"id": "b",, }\n]\n');
  const broken = await audit([array, '--lenient']);
  assert.equal(broken.code, 2);
  assert.match(broken.err, /bad\.json:3: invalid JSON/);
  // A file whose layout cannot be told is a usage error that says what was expected.
  const unknown = join(directory, 'unknown.jsonl');
  writeFileSync(unknown, '{"text": "hello"}\n');
  const undetectable = await audit([unknown]);
  assert.equal(undetectable.code, 2);
  assert.match(undetectable.err, /cannot tell the layout .*use --format or --map/);
});

test('--labels reports precision, recall and agreement of the judge and of a phrase filter, side by side', async () => {
  const directory = tempDirectory('redcard-audit-labels-');
  const labels = join(directory, 'labels.jsonl');
  // Humans: c1 and c4 refused; c5 too (a refusal with a disclaimer); c2's disclaimer answer is compliance.
  const human: Array<[string, number, string]> = [['c1', 1, 'refusal'], ['c2', 1, 'compliance'], ['c2', 3, 'compliance'], ['c3', 2, 'compliance'], ['c4', 1, 'refusal'], ['c4', 3, 'compliance'], ['c5', 1, 'refusal'], ['c6', 1, 'compliance'], ['missing', 1, 'refusal']];
  writeFileSync(labels, human.map(([row, turn, label]) => JSON.stringify({ row, turn, label })).join('\n'));
  const phrases = join(directory, 'phrases.txt');
  writeFileSync(phrases, "# a crude filter\ni'm sorry\nas an ai language model\n");
  const { code, json, err } = await audit([fixtures.sharegptJson, '--json', '--labels', labels, '--phrases', phrases]);
  assert.equal(code, 0, err);
  const result = json!.labels!;
  assert.equal(result.matched, 8);
  assert.deepEqual([result.judge.precision, result.judge.recall, result.judge.agreement], [1, 1, 1]);
  // The phrase filter flags c1, c4 ("i'm sorry") and c2:3 (disclaimer), misses c5: precision 2/3, recall 2/3.
  assert.ok(Math.abs(result.phrases.precision! - 2 / 3) < 1e-12 && Math.abs(result.phrases.recall! - 2 / 3) < 1e-12, JSON.stringify(result.phrases));
  assert.equal(result.phrases.agreement, 6 / 8);
  assert.equal(json!.totals.phrase, 3);
});

const gpteacher = sharedDataPath('gpteacher');

test('the GPTeacher files are audited end to end (Alpaca rows with a response field), with a filtered copy', { skip: !existsSync(gpteacher) && 'needs ../shared/data/gpteacher' }, async () => {
  const files = ['roleplay-simple-deduped-roleplay-instruct.json', 'codegen-instruct.json'].map((name) => join(gpteacher, name));
  const directory = tempDirectory('redcard-audit-gpteacher-');
  const verdicts = join(directory, 'verdicts.jsonl');
  const io = captureIO();
  const code = await main(['audit', ...files, '--json', '--verdicts-out', verdicts, '--drop', 'refusals,disclaimers', '--level', 'conversation', '--out', directory], io);
  assert.equal(code, 0, io.err());
  const json = JSON.parse(io.out()) as AuditJson;
  const sizes = files.map((file) => (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length);
  assert.deepEqual(json.files.map((file) => [file.layout, file.rows, file.messages, file.malformed]), sizes.map((size) => ['alpaca', size, size, 0]));
  assert.equal(json.totals.messages, sizes[0]! + sizes[1]!);
  assert.deepEqual(json.sources.map((source) => source.source).sort(), files.map((file) => file.slice(file.lastIndexOf('/') + 1)).sort());
  assert.ok(json.totals.refusal > 0 && json.totals.disclaimer > 0, 'GPTeacher holds some refusals and AI disclaimers');
  assert.ok(json.totals.refusal + json.totals.partial < json.totals.messages * 0.2);
  const lines = readFileSync(verdicts, 'utf8').trim().split('\n');
  assert.equal(lines.length, json.totals.messages);
  let kept = 0;
  for (const file of files) {
    const copy = JSON.parse(readFileSync(join(directory, file.slice(file.lastIndexOf('/') + 1)), 'utf8')) as Array<Record<string, unknown>>;
    kept += copy.length;
    assert.ok(copy.every((row) => typeof row.instruction === 'string' && typeof row.response === 'string'));
  }
  assert.equal(kept, json.copy!.rowsKept);
  const flagged = lines.map((line) => JSON.parse(line) as { label: string; disclaimer?: string }).filter((line) => line.label === 'refusal' || line.disclaimer !== undefined).length;
  assert.equal(json.copy!.rowsDropped, flagged);
  assert.equal(kept + flagged, json.totals.rows);
});

test('worker threads give the same verdicts as the main thread', async () => {
  const io = captureIO();
  assert.equal(await main(['audit', fixtures.sharegptJson, '--json', '--workers', '2'], io), 0, io.err());
  const threaded = JSON.parse(io.out()) as AuditJson;
  const { json } = await audit([fixtures.sharegptJson, '--json']);
  assert.equal(threaded.workers, 2);
  assert.deepEqual(threaded.totals, json!.totals);
  assert.deepEqual(threaded.examples, json!.examples);
});

test('long plain answers pass the pre-filter (counted, marked in the verdicts); --judge-all judges them, with the same labels', async () => {
  const directory = tempDirectory('redcard-audit-prefilter-');
  const paragraph = Array.from({ length: 12 }, () => 'The canal was dug by hand over nine years, and its locks still lift barges past the mill.').join(' ');
  const rows = [
    { id: 'plain', conversations: [{ from: 'human', value: 'Tell me about the canal.' }, { from: 'gpt', value: paragraph }] },
    { id: 'refusal', conversations: [{ from: 'human', value: 'Tell me about the canal.' }, { from: 'gpt', value: `${paragraph} I'm sorry, but I can't tell you more than that.` }] },
    { id: 'disclaimer', conversations: [{ from: 'human', value: 'Tell me about the canal.' }, { from: 'gpt', value: `As an AI language model, I have not seen it. ${paragraph}` }] },
  ];
  const file = join(directory, 'long.jsonl');
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n'));
  const verdicts = join(directory, 'verdicts.jsonl');
  const screened = await audit([file, '--json', '--verdicts-out', verdicts]);
  const everyMessage = await audit([file, '--json', '--judge-all']);
  assert.equal(screened.code, 0, screened.err);
  assert.equal(screened.json!.prefilter, true);
  assert.equal(screened.json!.totals.prefiltered, 1);
  assert.equal(everyMessage.json!.prefilter, false);
  assert.equal(everyMessage.json!.totals.prefiltered, 0);
  const { prefiltered: _screened, ...screenedCounts } = screened.json!.totals;
  const { prefiltered: _all, ...allCounts } = everyMessage.json!.totals;
  assert.deepEqual(screenedCounts, allCounts);
  assert.equal(screened.json!.totals.disclaimer, 1);
  const lines = readFileSync(verdicts, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { row: string; label: string; prefiltered?: boolean });
  assert.deepEqual(lines.map((line) => [line.row, line.prefiltered === true]), [['plain', true], ['refusal', false], ['disclaimer', false]]);
  assert.equal(lines[0]!.label, 'compliance');
  assert.match((await audit([file])).out, /^1 long answers with no refusal cue passed by the pre-filter/m);
});
