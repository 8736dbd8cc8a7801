// Reads what an xterm.js terminal shows as plain text, for tests and copy-out.

import type { Terminal } from '@xterm/xterm';

/** All rows of the active buffer (scrollback included), wrapped rows joined,
 *  trailing blank lines removed. Trailing spaces are dropped except on the
 *  cursor's row, up to the cursor: a prompt reads ">>> ", as the board sent it. */
export function terminalText(term: Terminal): string {
  const buffer = term.buffer.active;
  const cursorRow = buffer.baseY + buffer.cursorY;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const row = buffer.getLine(y);
    if (!row) continue;
    // A row continued on the next one keeps its trailing spaces: they are text.
    const continues = buffer.getLine(y + 1)?.isWrapped ?? false;
    let text = row.translateToString(!continues);
    if (y === cursorRow && !continues) {
      const upToCursor = row.translateToString(false, 0, buffer.cursorX);
      if (upToCursor.length > text.length) text = upToCursor;
    }
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '' && lines.length - 1 !== cursorRow) lines.pop();
  return lines.join('\n');
}
