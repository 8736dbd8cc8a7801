// Finds where in the user's code a MicroPython traceback points.

export interface TracebackFrame {
  file: string;
  line: number;
}

export interface TracebackInfo {
  frames: TracebackFrame[];
  /** The last line, e.g. "ZeroDivisionError: divide by zero". */
  message: string;
  interrupted: boolean;
}

const FRAME = /^\s*File "([^"]+)", line (\d+)/;

export function parseTraceback(text: string): TracebackInfo | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.some((l) => l.startsWith('Traceback'))) return null;
  const frames: TracebackFrame[] = [];
  for (const l of lines) {
    const m = FRAME.exec(l);
    if (m) frames.push({ file: m[1], line: Number(m[2]) });
  }
  const message = lines[lines.length - 1].trim();
  return { frames, message, interrupted: message.startsWith('KeyboardInterrupt') };
}

/**
 * The innermost frame in the user's code: "<stdin>" is the buffer that was
 * run; other names are board paths, matched to project files by `resolve`.
 */
export function userFrame(
  info: TracebackInfo,
  resolve: (boardFile: string) => string | null,
): TracebackFrame | null {
  for (let i = info.frames.length - 1; i >= 0; i--) {
    const f = info.frames[i];
    const file = f.file === '<stdin>' ? '<stdin>' : resolve(f.file);
    if (file) return { file, line: f.line };
  }
  return null;
}
