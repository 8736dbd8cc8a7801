import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { errorMarkOf, errorMarks, setErrorMark } from './error-marks';

const source = 'import time\nprint("a")\nprint(y)\nprint("b")\n';

function marked(line: number): EditorState {
  const state = EditorState.create({ doc: source, extensions: errorMarks() });
  return state.update({ effects: setErrorMark.of({ line, message: "NameError: name 'y' isn't defined" }) }).state;
}

describe('error marks', () => {
  it('marks the traceback line', () => {
    expect(errorMarkOf(marked(3))).toEqual({ line: 3, message: "NameError: name 'y' isn't defined" });
  });

  it('clamps a line number past the end of the document', () => {
    expect(errorMarkOf(marked(99))?.line).toBe(5);
  });

  it('follows edits on other lines', () => {
    const state = marked(3);
    const after = state.update({ changes: { from: 0, insert: '# comment\n' } }).state;
    expect(errorMarkOf(after)?.line).toBe(4);
    const typedBelow = after.update({ changes: { from: after.doc.line(5).from, insert: 'x' } }).state;
    expect(errorMarkOf(typedBelow)?.line).toBe(4);
  });

  it('disappears when its own line is edited', () => {
    const state = marked(3);
    const line = state.doc.line(3);
    expect(errorMarkOf(state.update({ changes: { from: line.to, insert: '  # fix' } }).state)).toBeNull();
    expect(errorMarkOf(state.update({ changes: { from: line.from + 6, to: line.from + 7, insert: 'x' } }).state)).toBeNull();
  });

  it('is cleared by setErrorMark.of(null), as the next run does', () => {
    expect(errorMarkOf(marked(3).update({ effects: setErrorMark.of(null) }).state)).toBeNull();
  });
});
