// Message content is written by the people under investigation: it must never drive the
// investigator's terminal, spreadsheet or browser. Every output format passes text through here.

// ESC-introduced sequences (CSI, OSC, DCS, SOS/PM/APC and two-character escapes), the 8-bit CSI
// and OSC forms, then any remaining C0/C1 control and DEL.
const ESCAPE_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidi overrides and isolates can reorder what the terminal shows ("Trojan Source"); the marks
// (LRM U+200E, RLM U+200F, ALM U+061C) move neutral characters across a right-to-left run.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Line and paragraph separators: a terminal or viewer may break the line there.
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** Removes escape sequences, control and bidi characters; keeps \n, \t, U+2028 and U+2029. */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(BIDI, '');
}

/**
 * One line of terminal-safe text: controls and bidi characters stripped, line breaks (also the
 * U+2028 line and U+2029 paragraph separators) shown as ⏎, tabs as spaces.
 */
export function terminalSafe(text: string): string {
  return stripControls(text).replace(LINE_BREAK, ' ⏎ ').replace(/\t/g, ' ');
}

// A single number (`-5`, `-0.25`) or an E.164 phone number (`+79281234567`): a spreadsheet reads
// either as one value, never as an expression. `-1-1` or `+7 928 123-45-67` would be computed.
const PLAIN_NUMBER = /^(?:-\d+(?:[.,]\d+)?|\+\d{6,15})$/;

// What a spreadsheet may skip before it looks for a formula: spaces (any Unicode space; some trim
// them on import), tabs and line breaks, invisible format characters, and quotes.
const CSV_LEAD = /^[\s\u200b-\u200d\u2060\ufeff'"]*[=+\-@]|^[\t\r]/u;

/**
 * Guards a CSV cell against formula injection (OWASP): a cell starting with `=`, `+`, `-`, `@`,
 * tab or carriage return gets a leading `'`, so spreadsheets show it as text; so does one where
 * those signs follow spaces, tabs, invisible characters or quotes (` =1+1`, `"=1+1`), which a
 * spreadsheet that trims may still evaluate. A single negative number or an E.164 phone number
 * cannot carry a formula and is left readable; anything else (`-1-1`, `+7 928 123-45-67`,
 * `=HYPERLINK(…)`) is prefixed. Control and bidi characters are stripped first.
 */
export function csvSafe(text: string): string {
  const clean = stripControls(text);
  if (CSV_LEAD.test(clean) && !PLAIN_NUMBER.test(clean)) return `'${clean}`;
  return clean;
}

/**
 * JSON stays faithful to the evidence, but characters that some terminals or viewers act on (DEL
 * and C1 controls, line/paragraph separators, bidi overrides, isolates and marks) are written as
 * \u escapes: the same data, harmless to `cat`.
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** HTML escaping for report output. */
export function escapeHtml(text: string): string {
  return stripControls(text).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}
