import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvSafe, escapeHtml, escapeJsonText, stripControls, terminalSafe } from '../src/util/sanitize.js';

test('terminal escape sequences and controls are stripped', () => {
  const hostile = 'hi\u001b[2J\u001b[31mred\u001b[0m\u001b]0;pwned title\u0007 \u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\ \u009b31m\u0007\u0000end';
  assert.equal(stripControls(hostile), 'hired link end');
  assert.equal(terminalSafe('line1\nline2\r\nline3\ttab'), 'line1 ⏎ line2 ⏎ line3 tab');
  // Bidi overrides could reorder what the investigator reads.
  assert.equal(stripControls('abc\u202Eevil\u202C'), 'abcevil');
  // The marks too (LRM, RLM, ALM), and the isolates.
  assert.equal(stripControls('a\u200Eb\u200Fc\u061Cd\u2066e\u2069'), 'abcde');
  // Line and paragraph separators break the line like \n: shown as ⏎ on one line.
  assert.equal(terminalSafe('one\u2028two\u2029three'), 'one ⏎ two ⏎ three');
});

test('CSV cells cannot start a formula, but E.164 numbers and single numbers stay readable', () => {
  assert.equal(csvSafe('=HYPERLINK("http://x","click")'), `'=HYPERLINK("http://x","click")`);
  assert.equal(csvSafe('@SUM(A1)'), `'@SUM(A1)`);
  assert.equal(csvSafe('-2+3+cmd|calc'), `'-2+3+cmd|calc`);
  assert.equal(csvSafe('+cmd'), `'+cmd`);
  assert.equal(csvSafe('\tx'), `'\tx`);
  assert.equal(csvSafe('+79281234567'), '+79281234567');
  // A formatted number is an expression to a spreadsheet (`-` subtracts, a space intersects).
  assert.equal(csvSafe('+7 (928) 123-45-67'), `'+7 (928) 123-45-67`);
  assert.equal(csvSafe('+7 928 123\u201145\u201167'), `'+7 928 123\u201145\u201167`);
  assert.equal(csvSafe('-1-1'), `'-1-1`);
  assert.equal(csvSafe('+1-2'), `'+1-2`);
  assert.equal(csvSafe('-5'), '-5');
  assert.equal(csvSafe('-0.25'), '-0.25');
  assert.equal(csvSafe('Привет'), 'Привет');
  assert.equal(csvSafe('\u001b[31m=1+1'), `'=1+1`);
  // Spreadsheets that trim evaluate a formula behind spaces, tabs, quotes or invisible characters.
  assert.equal(csvSafe(' =1+1'), `' =1+1`);
  assert.equal(csvSafe('   @SUM(A1)'), `'   @SUM(A1)`);
  assert.equal(csvSafe(' \t-2+3'), `' \t-2+3`);
  assert.equal(csvSafe('"=HYPERLINK("http://x")'), `'"=HYPERLINK("http://x")`);
  assert.equal(csvSafe("'=1+1"), `''=1+1`);
  assert.equal(csvSafe(' "\'+cmd'), `' "'+cmd`);
  assert.equal(csvSafe('\u00a0=1+1'), `'\u00a0=1+1`);
  assert.equal(csvSafe('\u200b=1+1'), `'\u200b=1+1`);
  assert.equal(csvSafe('\u200e=1+1'), `'=1+1`);
  assert.equal(csvSafe('\u2028=1+1'), `'\u2028=1+1`);
  // Text that merely contains the signs, or starts with a space before a word, stays as it is.
  assert.equal(csvSafe(' hello = world'), ' hello = world');
  assert.equal(csvSafe('"quoted" - fine'), '"quoted" - fine');
  assert.equal(csvSafe('a=1'), 'a=1');
  // The exceptions stay exact: a single number, an E.164 number.
  assert.equal(csvSafe('-5'), '-5');
  assert.equal(csvSafe('+79281234567'), '+79281234567');
  assert.equal(csvSafe(' -5'), `' -5`);
});

test('JSON text escapes characters terminals act on, keeping the data', () => {
  const json = escapeJsonText(JSON.stringify({ t: 'a\u009bb\u202ec\u2028' }));
  assert.equal(json, '{"t":"a\\u009bb\\u202ec\\u2028"}');
  assert.deepEqual(JSON.parse(json), { t: 'a\u009bb\u202ec\u2028' });
  // The bidi marks and isolates as the README says: every bidi character as a \\u escape.
  const marks = 'x\u200ey\u200fz\u061cw\u2066v\u2069\u2029\u007f';
  const escaped = escapeJsonText(JSON.stringify({ t: marks }));
  assert.equal(escaped, '{"t":"x\\u200ey\\u200fz\\u061cw\\u2066v\\u2069\\u2029\\u007f"}');
  assert.deepEqual(JSON.parse(escaped), { t: marks });
});

test('HTML is escaped', () => {
  assert.equal(escapeHtml('<script>alert("x")</script>&\''), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
});
