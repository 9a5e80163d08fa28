// How many terminal columns text takes, and text cut to a number of columns with a marker.
// Wide East Asian characters and most emoji take two columns; combining marks and zero-width
// characters take none (a table cut through them would otherwise be misaligned).

export const TRUNCATION_MARKER = '…';

// biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is tested alone (combining marks have no width).
const ZERO_WIDTH = /[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u200b-\u200f\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]/u;
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
/** Only characters at or above U+0300 can be other than one column wide: most text is measured by its length. */
const MAYBE_NOT_ONE = /[^\u0000-\u02ff]/;

export function displayWidth(text: string): number {
  if (!MAYBE_NOT_ONE.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** The text in at most `columns` columns: cut, with the marker as its last column, when it is wider. */
export function truncate(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  if (columns <= 0) return '';
  let kept = '';
  let width = 0;
  for (const char of text) {
    const next = charWidth(char);
    if (width + next > columns - 1) break;
    kept += char;
    width += next;
  }
  return kept + TRUNCATION_MARKER;
}

/** The text padded with spaces to `columns` columns, on the right (left-aligned) or the left; `width`: the text's, when known. */
export function pad(text: string, columns: number, alignRight = false, width = displayWidth(text)): string {
  const fill = ' '.repeat(Math.max(0, columns - width));
  return alignRight ? fill + text : text + fill;
}
