import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { stripTerminalControls, terminalSafeStream, writeTerminalControl } from './strip-terminal.js';

test('CSI, OSC (title, hyperlink, clipboard), DCS/APC, 8-bit C1 and other controls go; text, newline and tab stay', () => {
  const cases: Array<[string, string]> = [
    ['\u001b[31mred\u001b[0m', 'red'],
    ['clear\u001b[2J\u001b[H!', 'clear!'],
    ['\u001b]0;pwned\u0007title', 'title'],
    ['\u001b]8;;http://evil.example\u001b\\click\u001b]8;;\u001b\\', 'click'],
    ['\u001b]52;c;Y3VybCBldmls\u0007paste', 'paste'],
    ['\u001bP+q544e\u001b\\dcs \u001b_apc\u001b\\x', 'dcs x'],
    ['\u009b2J\u009d0;t\u009cc1', 'c1'],
    ['a\rb\bc\u0000d\u007fe\u000bf\u000cg', 'abcdefg'],
    ['\u001b7saved\u001b8 \u001bc reset', 'saved  reset'],
    ['unterminated \u001b]0;title', 'unterminated 0;title'],
    ['rtl \u202eevil\u202c \u2066x\u2069', 'rtl evil x'],
    ['keep\ttabs\nand newlines, ünïcödé, 中文, emoji 🙂', 'keep\ttabs\nand newlines, ünïcödé, 中文, emoji 🙂'],
  ];
  for (const [input, expected] of cases) assert.equal(stripTerminalControls(input), expected, JSON.stringify(input));
});

test('stripping is linear: 200k unterminated OSC openers take well under a second', () => {
  const hostile = '\u001b]'.repeat(200_000);
  const started = performance.now();
  assert.equal(stripTerminalControls(hostile).length, 0);
  assert.ok(performance.now() - started < 1000);
});

test('a terminal-safe stream strips what is written but passes redcard\'s own control sequences and TTY facts', () => {
  const raw = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  let seen = '';
  raw.on('data', (chunk: Buffer) => (seen += chunk.toString()));
  const safe = terminalSafeStream(raw);
  assert.equal(safe.isTTY, true);
  assert.equal(safe.columns, 120);
  assert.equal(terminalSafeStream(safe), safe, 'wrapping twice is wrapping once');
  safe.write('model \u001b]0;x\u0007name\n');
  safe.write(Buffer.from('buffer \u001b[2Jtoo\n'));
  writeTerminalControl(safe, '\r\u001b[2K');
  safe.write('progress');
  assert.equal(seen, 'model name\nbuffer too\n\r\u001b[2Kprogress');
});
