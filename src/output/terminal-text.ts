/**
 * Text that did not come from dvas (what a person typed, file names, the service's messages and
 * data) made safe for a terminal: a terminal acts on control characters, so `dvas get
 * $'acc\e[2Jounts'` would otherwise clear the screen of whoever reads the error. Escaped are C0
 * (U+0000–U+001F), DEL, C1 (U+0080–U+009F, CSI U+009B among them: a one-character escape
 * sequence on many terminals), the line and paragraph separators, and the bidirectional
 * overrides and isolates that make text display in another order than it reads ("Trojan Source").
 * Each becomes its JSON escape (`\u001b`, `\n`), so the person sees what was there.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, less line breaks and tabs: for whole messages, whose own lines dvas writes. */
const UNSAFE_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  const short = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' }[code];
  return short ?? `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A value inside a sentence, quoted: `"acc\u001b[2Jounts"`. What every message uses to show what it was given. */
export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&').replace(UNSAFE, escape)}"`;
}

/** Text on one line with every control character escaped (a table cell, an id, a name). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * A message of dvas's own lines that may hold outside text (an error, a note): its line breaks
 * and tabs stay, every other control character is escaped. Applied where text reaches stderr.
 */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE_IN_LINES, escape);
}
