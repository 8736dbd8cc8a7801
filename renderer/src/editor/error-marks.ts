// Marks the line where the last run failed: red background, a gutter marker,
// and the message in a block under the line. The mark follows edits elsewhere
// in the document and disappears when its own line is edited or when
// `setErrorMark.of(null)` is dispatched (the next run).

import { RangeSet, StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, WidgetType, gutter } from '@codemirror/view';

export interface ErrorMarkSpec {
  /** 1-based line number from the traceback. */
  line: number;
  message: string;
}

interface ErrorMark {
  /** Start and end of the marked line in the current document. */
  from: number;
  to: number;
  line: number;
  message: string;
}

export const setErrorMark = StateEffect.define<ErrorMarkSpec | null>();

class ErrorMessageWidget extends WidgetType {
  constructor(readonly message: string) {
    super();
  }
  override eq(other: ErrorMessageWidget): boolean {
    return other.message === this.message;
  }
  toDOM(): HTMLElement {
    const el = document.createElement('div');
    el.className = 'cm-mote-error-message';
    el.dataset.testid = 'editor-error';
    el.setAttribute('role', 'alert');
    el.textContent = this.message;
    return el;
  }
  override ignoreEvent(): boolean {
    return false;
  }
}

class ErrorGutterMarker extends GutterMarker {
  constructor(readonly message: string) {
    super();
  }
  override eq(other: ErrorGutterMarker): boolean {
    return other.message === this.message;
  }
  override toDOM(): Node {
    const el = document.createElement('span');
    el.className = 'cm-mote-error-dot';
    el.title = this.message;
    el.textContent = '●';
    return el;
  }
}

const spacer = new (class extends GutterMarker {
  override toDOM(): Node {
    return document.createTextNode('●');
  }
})();

function place(state: EditorState, spec: ErrorMarkSpec): ErrorMark {
  const n = Math.min(Math.max(1, Math.floor(spec.line)), state.doc.lines);
  const line = state.doc.line(n);
  return { from: line.from, to: line.to, line: n, message: spec.message };
}

const errorField = StateField.define<ErrorMark | null>({
  create: () => null,
  update(mark, tr) {
    if (mark && tr.docChanged) {
      let touched = false;
      tr.changes.iterChangedRanges((fromA, toA) => {
        if (fromA <= mark!.to && toA >= mark!.from) touched = true;
      });
      mark = touched
        ? null
        : { ...mark, from: tr.changes.mapPos(mark.from, -1), to: tr.changes.mapPos(mark.to, 1) };
      if (mark) mark.line = tr.state.doc.lineAt(mark.from).number;
    }
    for (const effect of tr.effects) {
      if (effect.is(setErrorMark)) mark = effect.value ? place(tr.state, effect.value) : null;
    }
    return mark;
  },
  provide: (field) => [
    EditorView.decorations.from(field, (mark) => {
      if (!mark) return Decoration.none;
      return Decoration.set([
        Decoration.line({
          class: 'cm-mote-error-line',
          attributes: { title: mark.message, 'data-error-line': String(mark.line) },
        }).range(mark.from),
        Decoration.widget({ widget: new ErrorMessageWidget(mark.message), block: true, side: 1 }).range(mark.to),
      ]);
    }),
  ],
});

const errorGutter = gutter({
  class: 'cm-mote-error-gutter',
  markers: (view) => {
    const mark = view.state.field(errorField);
    return mark ? RangeSet.of([new ErrorGutterMarker(mark.message).range(mark.from)]) : RangeSet.empty;
  },
  initialSpacer: () => spacer,
});

export function errorMarks(): Extension {
  return [errorField, errorGutter];
}

/** The current mark, if any: line number and message. */
export function errorMarkOf(state: EditorState): ErrorMarkSpec | null {
  const mark = state.field(errorField, false);
  return mark ? { line: mark.line, message: mark.message } : null;
}
