// One status line on a terminal's stderr that rewrites itself (a long-running operation, a long
// list): it is erased before anything else is written to stdout or stderr, so no message ever
// runs into it.

import { escapeControls } from '../output/escape.ts';

export interface StatusLine {
  show(message: string): void;
  /** Erases the line if one is shown; cheap when none is. */
  end(): void;
}

const ERASE = '\r\x1b[K';

export function statusLine(stderr: { write(text: string): unknown }): StatusLine {
  let shown = false;
  return {
    show(message) {
      stderr.write(`${ERASE}… ${escapeControls(message)}`);
      shown = true;
    },
    end() {
      if (!shown) return;
      shown = false;
      stderr.write(ERASE);
    },
  };
}
