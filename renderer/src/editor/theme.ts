// The editor's dark look, matched to the IDE's palette (app.css custom properties).

import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import type { Extension } from '@codemirror/state';
// @lezer/highlight is the tag vocabulary of @codemirror/language's own API
// (HighlightStyle takes its Tag objects); it is installed with it.
import { tags as t } from '@lezer/highlight';

const editorTheme = EditorView.theme(
  {
    '&': { color: '#d7dae0', backgroundColor: 'var(--editor-bg)', height: '100%', fontSize: '14px' },
    '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
    '.cm-content': { caretColor: '#f5f6f7', padding: '8px 0' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#f5f6f7', borderLeftWidth: '2px' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
      { backgroundColor: '#2f4a6d' },
    '.cm-activeLine': { backgroundColor: '#ffffff08' },
    '.cm-gutters': { backgroundColor: 'var(--editor-bg)', color: '#5d6470', border: 'none' },
    '.cm-activeLineGutter': { backgroundColor: 'transparent', color: '#aab1bc' },
    '.cm-lineNumbers .cm-gutterElement': { padding: '0 10px 0 6px' },
    '.cm-foldPlaceholder': { backgroundColor: '#2b3038', border: 'none', color: '#aab1bc' },
    '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: '#3a4350', outline: '1px solid #5b6675' },
    '.cm-searchMatch': { backgroundColor: '#6b5a1f80' },
    '.cm-selectionMatch': { backgroundColor: '#3a4a5f80' },
    '.cm-tooltip': { backgroundColor: '#23272e', border: '1px solid #3a404a', color: '#d7dae0' },
    '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: '#2f4a6d', color: '#fff' },
    '.cm-panels': { backgroundColor: '#1d2127', color: '#d7dae0' },
    '.cm-panels.cm-panels-bottom': { borderTop: '1px solid #333a44' },
    '.cm-textfield': { backgroundColor: '#14171b', border: '1px solid #3a404a', color: '#d7dae0' },
    '.cm-button': { backgroundImage: 'none', backgroundColor: '#2b3038', border: '1px solid #3a404a', color: '#d7dae0' },
    // Error marks (error-marks.ts).
    '.cm-mote-error-line': { backgroundColor: '#e5484d2e', boxShadow: 'inset 3px 0 0 #e5484d' },
    '.cm-mote-error-gutter .cm-gutterElement': { color: '#ff6b6f', padding: '0 0 0 6px', fontSize: '11px' },
    '.cm-mote-error-gutter': { minWidth: '14px' },
    '.cm-mote-error-message': {
      margin: '2px 0 6px 0',
      padding: '4px 10px',
      borderLeft: '3px solid #e5484d',
      backgroundColor: '#3a1d20',
      color: '#ffb4b6',
      fontFamily: 'var(--font-ui)',
      fontSize: '12.5px',
      whiteSpace: 'pre-wrap',
    },
  },
  { dark: true },
);

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword], color: '#c792ea' },
  { tag: [t.bool, t.null, t.atom], color: '#f78c6c' },
  { tag: [t.number], color: '#f78c6c' },
  { tag: [t.string, t.special(t.string)], color: '#a5d6a7' },
  { tag: [t.escape, t.regexp], color: '#89ddff' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#6b7689', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: '#82aaff' },
  { tag: [t.definition(t.variableName)], color: '#e6e8eb' },
  { tag: [t.definition(t.function(t.variableName))], color: '#82aaff' },
  { tag: [t.className, t.definition(t.className)], color: '#ffcb6b' },
  { tag: [t.propertyName], color: '#d7dae0' },
  { tag: [t.self], color: '#f07178', fontStyle: 'italic' },
  { tag: [t.operator, t.punctuation], color: '#89ddff' },
  { tag: [t.meta, t.annotation], color: '#ffcb6b' },
  { tag: t.invalid, color: '#ff5370' },
]);

export function darkTheme(): Extension {
  return [editorTheme, syntaxHighlighting(highlight)];
}
