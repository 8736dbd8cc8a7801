// One open document. Its EditorState carries the text, undo history, selection
// and error mark; `savedDoc` is what was last loaded or saved, so `dirty` is
// exact (typing a change and undoing it makes the tab clean again).

import type { EditorState, Text } from '@codemirror/state';
import { createDocState } from '../editor/extensions';

/** project: a file in the project folder; board: a file on the board (saving uploads it);
 *  scratch: not saved anywhere yet. */
export type TabKind = 'project' | 'board' | 'scratch';

let nextId = 1;
/** Replaced in the constructor; fields need an initial value. */
const PLACEHOLDER = createDocState('');

export class EditorTab {
  readonly id = `tab-${nextId++}`;
  kind = $state<TabKind>('scratch');
  /** Project-relative path, board path, or a made-up name for scratch tabs. */
  path = $state('');
  state = $state.raw<EditorState>(PLACEHOLDER);
  savedDoc = $state.raw<Text>(PLACEHOLDER.doc);
  /** Where the view was scrolled when the user switched away. */
  scrollTop = 0;

  readonly dirty = $derived(!this.state.doc.eq(this.savedDoc));
  readonly name = $derived(this.path.slice(this.path.lastIndexOf('/') + 1) || this.path);

  constructor(kind: TabKind, path: string, text: string, readOnly = false) {
    this.kind = kind;
    this.path = path;
    this.state = createDocState(text, readOnly);
    this.savedDoc = this.state.doc;
  }

  get text(): string {
    return this.state.doc.toString();
  }

  get readOnly(): boolean {
    return this.state.readOnly;
  }
}
