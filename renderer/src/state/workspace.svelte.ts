// The open tabs and which one is shown. The single EditorView (CodeEditor.svelte)
// attaches here and the workspace swaps tab states in and out of it
// synchronously, so right after `activate` the view shows that tab. Every change
// to a tab's state goes through `apply`, which routes it through the view when
// the tab is visible so the view and the tab never disagree.

import type { TransactionSpec } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { createDocState } from '../editor/extensions';
import { EditorTab, type TabKind } from './editor-tab.svelte';

/** Shown by the view when no tab is open (the component draws a hint over it). */
const NOTHING_OPEN = createDocState('', true);

export class Workspace {
  #tabs = $state.raw<EditorTab[]>([]);
  #activeId = $state<string | null>(null);
  #view: EditorView | null = null;
  #scratchCount = 0;

  readonly active = $derived(this.#tabs.find((t) => t.id === this.#activeId) ?? null);

  get tabs(): readonly EditorTab[] {
    return this.#tabs;
  }

  get view(): EditorView | null {
    return this.#view;
  }

  /** Line and column of the cursor in the active tab, 1-based. */
  get cursor(): { line: number; col: number } | null {
    const tab = this.active;
    if (!tab) return null;
    const head = tab.state.selection.main.head;
    const line = tab.state.doc.lineAt(head);
    return { line: line.number, col: head - line.from + 1 };
  }

  attachView(view: EditorView): void {
    this.#view = view;
    this.#show(this.active);
  }

  detachView(view: EditorView): void {
    if (this.#view === view) this.#view = null;
  }

  /** Called by the view after it applied transactions to the active tab. */
  viewUpdated(view: EditorView): void {
    const tab = this.active;
    if (tab && view === this.#view) tab.state = view.state;
  }

  find(kind: TabKind, path: string): EditorTab | undefined {
    return this.#tabs.find((t) => t.kind === kind && t.path === path);
  }

  byId(id: string): EditorTab | undefined {
    return this.#tabs.find((t) => t.id === id);
  }

  /** Opens a tab (or shows the existing one for the same file) and makes it active. */
  open(kind: TabKind, path: string, text: string, readOnly = false): EditorTab {
    const existing = kind === 'scratch' ? undefined : this.find(kind, path);
    if (existing) {
      this.activate(existing);
      return existing;
    }
    const tab = new EditorTab(kind, path, text, readOnly);
    this.#tabs = [...this.#tabs, tab];
    this.activate(tab);
    return tab;
  }

  openScratch(text: string): EditorTab {
    this.#scratchCount++;
    return this.open('scratch', `untitled-${this.#scratchCount}.py`, text);
  }

  activate(tab: EditorTab): void {
    if (!this.#tabs.includes(tab) || this.#activeId === tab.id) return;
    const previous = this.active;
    if (previous && this.#view) previous.scrollTop = this.#view.scrollDOM.scrollTop;
    this.#activeId = tab.id;
    this.#show(tab);
  }

  close(tab: EditorTab): void {
    const index = this.#tabs.indexOf(tab);
    if (index < 0) return;
    this.#tabs = this.#tabs.filter((t) => t !== tab);
    if (this.#activeId === tab.id) {
      const next = this.#tabs[Math.min(index, this.#tabs.length - 1)];
      this.#activeId = next?.id ?? null;
      this.#show(next ?? null);
    }
  }

  /** Scrolls the tab's view so `pos` is in the middle (when the tab is shown). */
  reveal(tab: EditorTab, pos: number): void {
    if (this.#view && this.#view.state === tab.state) {
      this.#view.dispatch({ effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    }
  }

  /** Applies a transaction to a tab, through the view when it is the visible one. */
  apply(tab: EditorTab, spec: TransactionSpec): void {
    if (this.#view && tab === this.active && this.#view.state === tab.state) {
      this.#view.dispatch(spec);
    } else {
      tab.state = tab.state.update(spec).state;
    }
  }

  #show(tab: EditorTab | null): void {
    const view = this.#view;
    if (!view) return;
    const state = tab?.state ?? NOTHING_OPEN;
    if (view.state === state) return;
    view.setState(state);
    if (tab) view.scrollDOM.scrollTop = tab.scrollTop;
  }

  /** Records that the tab's text (as of `doc`) is now what is stored. */
  markSaved(tab: EditorTab, doc = tab.state.doc): void {
    tab.savedDoc = doc;
  }

  /** A scratch tab saved under a name becomes that file's tab. */
  retarget(tab: EditorTab, kind: TabKind, path: string): void {
    tab.kind = kind;
    tab.path = path;
  }
}
