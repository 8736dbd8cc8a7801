// The editor setup shared by every tab. Each tab owns an EditorState (undo
// history, selection, error mark); one EditorView shows the active one.

import { basicSetup } from 'codemirror';
import { indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { indentUnit } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { errorMarks } from './error-marks';
import { darkTheme } from './theme';

const shared: Extension = [
  basicSetup,
  keymap.of([indentWithTab]),
  python(),
  indentUnit.of('    '),
  EditorState.tabSize.of(4),
  darkTheme(),
  errorMarks(),
];

export function createDocState(text: string, readOnly = false): EditorState {
  return EditorState.create({
    doc: text,
    extensions: readOnly ? [shared, EditorState.readOnly.of(true)] : shared,
  });
}
