import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../spec/errors.js';
import { compileBodyTemplate, compileTextTemplate, type TemplateVariables } from './body-template.js';

const variables: TemplateVariables = {
  prompt: 'Say "hi"\\ and\nmore',
  messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say "hi"\\ and\nmore' }],
  system: 'Be brief.',
  session: null,
};

test('inside a JSON string a placeholder is its escaped text; elsewhere a JSON value', () => {
  const template = compileBodyTemplate('{"q": "{{prompt}}", "history": {{messages}}, "as_text": "{{ messages }}", "sid": {{session}}, "sys": "{{system}}"}', 'target.body');
  const body = JSON.parse(template.render(variables));
  assert.equal(body.q, variables.prompt);
  assert.deepEqual(body.history, variables.messages);
  assert.equal(body.as_text, JSON.stringify(variables.messages));
  assert.equal(body.sid, null, 'no session yet: null outside a string');
  assert.equal(body.sys, 'Be brief.');
  assert.equal(JSON.parse(template.render({ ...variables, session: 'c-9' })).sid, 'c-9');
  assert.deepEqual([...template.uses].sort(), ['messages', 'prompt', 'session', 'system']);
  const quoted = compileBodyTemplate('{"sid": "{{session}}", "q": "{{prompt}}"}', 'target.body');
  assert.equal(JSON.parse(quoted.render(variables)).sid, '', 'no session yet: empty inside a string');
});

test('closing braces of nested objects are not placeholders', () => {
  const template = compileBodyTemplate('{"input": {"text": "{{prompt}}"}}', 'target.body');
  assert.deepEqual(JSON.parse(template.render(variables)), { input: { text: variables.prompt } });
});

test('an object template (as YAML writes it): a value that is one placeholder becomes its JSON value', () => {
  const template = compileBodyTemplate({ input: { text: 'Q: {{prompt}}', history: '{{messages}}' }, stream: false }, 'target.body');
  const body = JSON.parse(template.render(variables));
  assert.equal(body.input.text, `Q: ${variables.prompt}`);
  assert.deepEqual(body.input.history, variables.messages);
  assert.equal(body.stream, false);
});

test('a malformed template is a ConfigError naming the field', () => {
  const cases: Array<[string, RegExp]> = [
    ['{"q": "{{prompt}}"', /not valid JSON once filled in/],
    ['{"q": {{prompt}}', /not valid JSON/],
    ['{"q": "{{question}}"}', /unknown placeholder '\{\{question\}\}' at character 8; known here: \{\{prompt\}\}, \{\{messages\}\}/],
    ['{"q": "fixed"}', /must contain \{\{prompt\}\} or \{\{messages\}\}/],
    ['{"q": "{{prompt}"}', /unclosed placeholder '\{\{prompt' at character 8/],
  ];
  for (const [source, message] of cases) {
    assert.throws(
      () => compileBodyTemplate(source, 'target.body'),
      (error: unknown) => error instanceof ConfigError && error.field === 'target.body' && message.test(error.message),
      source,
    );
  }
});

test('url templates URL-encode; header templates take only the session', () => {
  const url = compileTextTemplate('http://app.test/chat/{{session}}?q={{prompt}}', 'target.url', 'url');
  assert.equal(url.render({ ...variables, session: 'a/b' }), `http://app.test/chat/a%2Fb?q=${encodeURIComponent(variables.prompt)}`);
  const header = compileTextTemplate('conv-{{session}}', 'target.headers.X-Conv', 'header');
  assert.equal(header.render({ ...variables, session: 'x\r\ny' }), 'conv-xy', 'no line breaks reach a header');
  assert.throws(() => compileTextTemplate('{{prompt}}', 'target.headers.X', 'header'), (error: unknown) => error instanceof ConfigError && error.field === 'target.headers.X');
});
