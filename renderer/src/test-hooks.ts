// Hooks for end-to-end tests.
//
// `window.__moteTerminalText()` returns the text the terminal shows now (see
// terminal-text.ts: scrollback included, wrapped rows joined, trailing spaces
// kept only up to the cursor, so a prompt ends in ">>> "). xterm.js parses
// written bytes asynchronously, so tests should poll. The terminal keeps 5000
// lines of scrollback; Clear empties it.
//
// `window.__moteOledRows(i)` reads the i-th OLED canvas of the board view back
// from its drawn pixels (not from the data it was drawn from) as rows of '#'
// (lit) and '.' (dark); null when no such display is shown.
//
// `window.__motePlot()` is what the plotter holds: series names, how many
// samples arrived, and the newest value of each series.

export interface PlotReadout {
  names: string[];
  received: number;
  latest: number[];
  paused: boolean;
}

declare global {
  interface Window {
    __moteTerminalText?: () => string;
    __moteOledRows?: (index?: number) => string[] | null;
    __motePlot?: () => PlotReadout;
  }
}

export function exposeTerminalText(read: () => string): () => void {
  window.__moteTerminalText = read;
  return () => {
    if (window.__moteTerminalText === read) delete window.__moteTerminalText;
  };
}

export function exposePlot(read: () => PlotReadout): () => void {
  window.__motePlot = read;
  return () => {
    if (window.__motePlot === read) delete window.__motePlot;
  };
}

/** OLED canvases in board-view order; each display component adds its own. */
const oledReaders: Array<() => string[]> = [];

export function exposeOledCanvas(read: () => string[]): () => void {
  oledReaders.push(read);
  window.__moteOledRows = (index = 0) => oledReaders[index]?.() ?? null;
  return () => {
    const i = oledReaders.indexOf(read);
    if (i >= 0) oledReaders.splice(i, 1);
  };
}
