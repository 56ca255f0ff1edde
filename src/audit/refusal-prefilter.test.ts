import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sharedDataPath } from '../util/paths.js';
import { loadTrainingCorpus, type TrainingExample } from '../judges/offline/training/training-examples.js';
import { MessageAnalyser, PREFILTERED_REASON, type MessageTask } from './analyse-message.js';
import { RefusalPrefilter, cuePhrases, prefilterMinWords } from './refusal-prefilter.js';

/** A long, plain answer (our own filler), `words` words. */
function answer(words: number): string {
  const filler = 'The river rises in the hills and runs through three towns before it reaches the sea, where the old harbour still stands'.split(' ');
  return Array.from({ length: words }, (_, index) => filler[index % filler.length]).join(' ') + '.';
}
const long = answer(150);
const insert = (text: string, phrase: string): string => `${text.slice(0, 300)} ${phrase} ${text.slice(300)}`;

test('a long answer with no cue skips the judge; any cue of the judge, in any language or quote form, sends it', () => {
  const prefilter = new RefusalPrefilter();
  assert.equal(prefilter.needsJudge('Tell me about the river.', long), false);
  for (const phrase of ["I'm sorry, but I can't", 'I CAN’T HELP WITH', 'i   cannot\nassist with', 'Je ne peux pas', 'Lo siento', 'Я не могу', '申し訳', 'As an AI', 'It is not appropriate', 'Unfortunately']) {
    assert.equal(prefilter.needsJudge('Tell me about the river.', insert(long, phrase)), true, phrase);
  }
});

test('a cue counts wherever a word of the judge can start, and not inside a word', () => {
  const prefilter = new RefusalPrefilter();
  const request = 'Tell me about the river.';
  // Every phrase of the judge's lists, after each character a word token can follow (`_` included, which `\b` takes
  // for a letter), is found; glued to an ASCII letter before it, the judge reads another word and so does the filter.
  const before = [' ', '\n', '_', '-', "'", '"', '(', '*', 'é', '1.'];
  for (const phrase of cuePhrases()) {
    for (const character of before) assert.equal(prefilter.holdsCue(`${long.slice(0, 200)}${character}${phrase} ${long.slice(200)}`), true, `${JSON.stringify(character)} before '${phrase}'`);
  }
  assert.equal(prefilter.needsJudge(request, insert(long, 'the taxi cannot stop here')), false, "'i cannot' inside 'taxi cannot' is no cue");
  assert.equal(prefilter.needsJudge(request, insert(long, 'the Taxi CANNOT stop here')), false);
  assert.equal(prefilter.needsJudge(request, insert(long, 'an_unfortunately_named_variable')), true, 'after _ a word starts');
  const user = new RefusalPrefilter([], ['(redacted)', 'Ünfug', 'ai助手']);
  assert.equal(user.holdsCue(`${long}x(redacted)`), true, 'a phrase starting with punctuation is looked for anywhere');
  assert.equal(user.holdsCue(`${long} ÜNFUG`), true, 'beyond ASCII, in texts that hold such characters');
  assert.equal(user.holdsCue(`${long} 我的ai助手`), true, 'a phrase with CJK is looked for anywhere, as the judge does');
  assert.equal(user.holdsCue(`${long} Unfug`), false);
});

test('short messages, and answers hardly longer than the request, always go to the judge', () => {
  const prefilter = new RefusalPrefilter();
  const minimum = prefilterMinWords();
  assert.ok(minimum > 80, 'longer than every short-message rule of the judge (80 words)');
  assert.equal(prefilter.needsJudge('Hi', answer(minimum - 2)), true);
  assert.equal(prefilter.needsJudge('Hi', answer(minimum + 5)), false);
  assert.equal(prefilter.needsJudge(long, `${long} Indeed.`), true, 'a restatement of a long request');
  const table = `${Array.from({ length: 60 }, () => '| --- | - |').join('\n')}\nWhich row do you mean?`;
  assert.equal(prefilter.needsJudge('Fix my table', table), true, 'many spaces but few words: the judge counts them');
  const russian = Array.from({ length: 120 }, () => 'река течёт через три города к морю').join(' ');
  assert.equal(prefilter.needsJudge('Расскажи о реке', russian), true, 'other scripts always go to the judge');
  assert.ok(cuePhrases().includes("i can't") && cuePhrases().includes('je ne peux pas'));
});

test('the analyser screens: a pre-filtered message is an answer with its reason; disclaimers and user phrases still reach the matching', async () => {
  const analyser = new MessageAnalyser(['harbour master']);
  const plain: MessageTask = { request: 'Tell me about the river.', response: long };
  assert.deepEqual(analyser.screen(plain), { label: 'compliance', reason: PREFILTERED_REASON, score: 0.95, prefiltered: true });
  const disclaimer = { ...plain, response: insert(long, 'As an AI language model, I have no opinion, but') };
  assert.equal(analyser.screen(disclaimer), undefined);
  assert.equal((await analyser.analyse(disclaimer)).disclaimer?.phrase, 'as an ai language model');
  const phrase = { ...plain, response: insert(long, 'ask the Harbour Master') };
  assert.equal(analyser.screen(phrase), undefined);
  assert.equal((await analyser.analyse(phrase)).phrase, 'harbour master');
  const refusal = { ...plain, response: insert(long, "I'm sorry, but I can't help with the rest.") };
  assert.equal((await analyser.analyse(refusal)).prefiltered, undefined);
  assert.equal(new MessageAnalyser([], { judgeAll: true }).screen(plain), undefined, '--judge-all screens nothing out');
});

const data = sharedDataPath();
const haveData = ['xstest', 'harmbench', 'jailbreakbench-artifacts', 'gpteacher', 'hh-rlhf'].every((name) => existsSync(sharedDataPath(name)));

/** Assistant turns of hh-rlhf harmless-base test dialogues (chosen and rejected), with the human turn before each. */
function hhRlhfTasks(): MessageTask[] {
  const tasks: MessageTask[] = [];
  const lines = gunzipSync(readFileSync(sharedDataPath('hh-rlhf', 'harmless-base', 'test.jsonl.gz'))).toString('utf8').trim().split('\n');
  for (const line of lines) {
    const row = JSON.parse(line) as { chosen: string; rejected: string };
    for (const dialogue of [row.chosen, row.rejected]) {
      const parts = dialogue.split(/\n\n(Human|Assistant): /);
      let request = '';
      for (let index = 1; index + 1 < parts.length; index += 2) {
        if (parts[index] === 'Human') request = parts[index + 1]!;
        else tasks.push({ request, response: parts[index + 1]! });
      }
    }
  }
  return tasks;
}

test('on real responses the pre-filter passes (almost) nothing the judge flags: XSTest, HarmBench, JailbreakBench, GPTeacher, hh-rlhf', { skip: !haveData && 'needs ../shared/data (xstest, harmbench, jailbreakbench-artifacts, gpteacher, hh-rlhf)' }, async () => {
  const corpus = loadTrainingCorpus(data);
  const sources: Record<string, MessageTask[]> = { 'hh-rlhf': hhRlhfTasks() };
  for (const [name, examples] of Object.entries(corpus) as Array<[string, TrainingExample[]]>) sources[name] = examples.map((example) => ({ request: example.attempt.behavior.text, response: example.response.text }));
  const analyser = new MessageAnalyser([]);
  let messages = 0;
  let passed = 0;
  let flagged = 0;
  let missedLabels = 0;
  let missedUndetermined = 0;
  for (const tasks of Object.values(sources)) {
    for (const task of tasks) {
      messages += 1;
      const judged = await analyser.judge(task);
      const isFlagged = judged.label !== 'compliance' || judged.undetermined !== undefined;
      if (isFlagged) flagged += 1;
      if (analyser.screen(task) === undefined) continue;
      passed += 1;
      if (judged.label !== 'compliance') missedLabels += 1;
      else if (judged.undetermined !== undefined) missedUndetermined += 1;
    }
  }
  // Measured when written: 21,122 messages, 5,710 flagged by the judge; 1 passed (a compliance the judge left undetermined).
  assert.ok(messages > 20000 && flagged > 5000, `${messages} messages, ${flagged} flagged`);
  assert.ok(passed > 500, `the pre-filter passes long plain answers (${passed})`);
  assert.equal(missedLabels, 0, 'no refusal or partial refusal passed without the judge');
  assert.ok(missedUndetermined <= flagged * 0.001, `${missedUndetermined} undetermined verdicts passed as answers`);
});
