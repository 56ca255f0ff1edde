import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../spec/errors.js';
import { loadConstitution } from './constitution.js';
import { loadFraming } from './framing.js';
import { tempDirectory } from '../testing/temp-directory.js';

const directory = tempDirectory('redcard-constitution-');
function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const VALID = `name: mine
principles:
  - id: one
    critique: Point out anything harmful in the reply.
    revision: Rewrite the reply without the harmful parts.
preferences:
  - id: pick
    choice: Which of these replies is less harmful?
`;

function configError(path: string, line: number | undefined, field: string | undefined, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.file, path);
    assert.equal(error.line, line);
    assert.equal(error.field, field);
    assert.match(error.message, pattern);
    return true;
  };
}

test('the default constitution: 16 principles, preference principles as questions, its source cited', () => {
  const constitution = loadConstitution();
  assert.equal(constitution.principles.length, 16);
  assert.ok(constitution.preferences.length >= 6);
  assert.match(constitution.reference ?? '', /Bai et al\. 2022.*Constitutional AI.*2212\.08073/);
  assert.equal(new Set(constitution.principles.map((principle) => principle.id)).size, 16);
  for (const preference of constitution.preferences) assert.match(preference.choice, /^Which .*\?$/);
  // A principle that guards helpfulness is part of it (revisions must not become blanket refusals).
  assert.ok(constitution.principles.some((principle) => principle.id === 'over-caution'));
  assert.match(constitution.hash, /^[0-9a-f]{16}$/);
});

test('a user constitution loads; the hash follows its principles', () => {
  const first = loadConstitution(file('ok.yaml', VALID));
  assert.equal(first.name, 'mine');
  assert.equal(first.principles[0]!.id, 'one');
  const renamed = loadConstitution(file('renamed.yaml', VALID.replace('name: mine', 'name: other')));
  assert.equal(renamed.hash, first.hash, 'the name is not part of what the model is asked');
  const changed = loadConstitution(file('changed.yaml', VALID.replace('less harmful', 'more honest')));
  assert.notEqual(changed.hash, first.hash);
});

test('validation errors name the file, the line and the field', () => {
  const missingRevision = file('missing.yaml', VALID.replace('    revision: Rewrite the reply without the harmful parts.\n', ''));
  assert.throws(() => loadConstitution(missingRevision), configError(missingRevision, 3, 'principles.0.revision', /expected string/));
  const unknown = file('unknown.yaml', VALID.replace('    critique:', '    critic: x\n    critique:'));
  assert.throws(() => loadConstitution(unknown), configError(unknown, 4, 'principles.0.critic', /Unrecognized key/));
  const notQuestion = file('question.yaml', VALID.replace('less harmful?', 'less harmful.'));
  assert.throws(() => loadConstitution(notQuestion), configError(notQuestion, 8, 'preferences.0.choice', /question/));
  const duplicate = file('duplicate.yaml', VALID.replace('preferences:', `  - id: one
    critique: Another critique request here.
    revision: Another revision request here.
preferences:`));
  assert.throws(() => loadConstitution(duplicate), configError(duplicate, 6, 'principles.1.id', /duplicate id 'one' \(also principles\.0\)/));
  const noPreferences = file('none.yaml', VALID.replace(/preferences:[\s\S]*$/, 'preferences: []\n'));
  assert.throws(() => loadConstitution(noPreferences), configError(noPreferences, 6, 'preferences', /at least one preference/));
  const syntax = file('syntax.yaml', 'name: [unclosed\n');
  assert.throws(() => loadConstitution(syntax), (error: unknown) => error instanceof ConfigError && error.file === syntax && /YAML syntax error/.test(error.message));
  const list = file('list.yaml', '- a\n- b\n');
  assert.throws(() => loadConstitution(list), configError(list, 1, undefined, /constitution must be a mapping/));
  const absent = join(directory, 'absent.yaml');
  assert.throws(() => loadConstitution(absent), configError(absent, undefined, undefined, /cannot read constitution: no such file/));
});

test('the framing: format lines, a template with every slot, few-shot answers that hold no harmful content', () => {
  const framing = loadFraming();
  for (const slot of ['{conversation}', '{principle}', '{answerA}', '{answerB}']) assert.ok(framing.feedbackTemplate.includes(slot), slot);
  assert.ok(framing.feedbackTemplate.trimEnd().endsWith(framing.feedbackFormat));
  assert.ok(framing.fewShot.length >= 2);
  for (const example of framing.fewShot) {
    assert.ok(example.critique.startsWith(framing.critiquePrefix));
    assert.ok(example.revision.startsWith(framing.revisionPrefix));
  }
  // The harmful example's answer is placeholders only; the benign one keeps its helpful answer through revision.
  assert.match(framing.fewShot[0]!.answer, /\[REDACTED\]/);
  assert.ok(framing.fewShot[1]!.revision.includes(framing.fewShot[1]!.answer.slice(0, 40)));
});
