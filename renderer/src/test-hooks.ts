// Hooks for end-to-end tests. `window.__moteTerminalText()` returns the text the
// terminal shows now (see terminal-text.ts: scrollback included, wrapped rows
// joined, trailing spaces kept only up to the cursor, so a prompt ends in
// ">>> "). xterm.js parses written bytes asynchronously, so tests should poll.
// The terminal keeps 5000 lines of scrollback; Clear empties it.

declare global {
  interface Window {
    __moteTerminalText?: () => string;
  }
}

export function exposeTerminalText(read: () => string): () => void {
  window.__moteTerminalText = read;
  return () => {
    if (window.__moteTerminalText === read) delete window.__moteTerminalText;
  };
}
