// Text for people: the control characters a terminal would act on are shown, never sent.
// Resource names, tags and error messages come from Azure (or anyone able to name a resource);
// sent as they are, they could clear the screen, move the cursor, retitle the window, plant a
// hyperlink (OSC 8) or reorder what is shown (bidi overrides). Escaped: C0 controls except \n,
// DEL, C1 controls (U+0080–U+009F; U+009B is an 8-bit CSI), bidi overrides and isolates.

const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');
const TAB_STOP = 8;

/**
 * - `text`: `\x1b` up to U+00FF, `\u202e` above;
 * - `json`: `\u001b`, a JSON string escape, so JSON text stays valid and means the same;
 * - `columns`: as `text`, but a tab becomes spaces to the next tab stop (tables, a source line under a caret).
 */
export type Notation = 'text' | 'json' | 'columns';

/** The text with its control characters escaped; the text itself when it has none (one regex test). */
export function escapeControls(text: string, notation: Notation = 'text'): string {
  if (!CONTROL.test(text)) return text;
  if (notation === 'columns') return expandTabs(text.split('\t').map((part) => part.replace(CONTROLS, textEscape)));
  return text.replace(CONTROLS, notation === 'json' ? jsonEscape : textEscape);
}

function textEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

function jsonEscape(char: string): string {
  return `\\u${hex(char.charCodeAt(0), 4)}`;
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

function expandTabs(parts: readonly string[]): string {
  let line = parts[0];
  for (const part of parts.slice(1)) line += ' '.repeat(TAB_STOP - (line.length % TAB_STOP)) + part;
  return line;
}
