// Running the editor's program on the board, stopping and resetting it, and
// pointing at the line where it failed.

import type { CodeLocation, MoteApi, RunOutcome } from '../../../main/common/api';
import { errorMarkOf, setErrorMark } from '../editor/error-marks';
import type { BoardState } from './board.svelte';
import type { EditorTab } from './editor-tab.svelte';
import type { FileActions } from './file-actions';
import type { Toasts } from './toasts.svelte';
import type { Workspace } from './workspace.svelte';

export interface RunnerDeps {
  api: MoteApi;
  board: BoardState;
  workspace: Workspace;
  files: FileActions;
  toasts: Toasts;
}

/** The `file` argument for a buffer that is not a project file. */
export const EDITOR_FILE = '<editor>';

export class Runner {
  readonly #d: RunnerDeps;
  #inFlight = $state(0);
  #lastOutcome = $state.raw<RunOutcome | null>(null);
  /** The tab whose text the last run used; '<editor>' in a traceback means it. */
  #runTabId: string | null = null;
  #runSeq = 0;

  constructor(deps: RunnerDeps) {
    this.#d = deps;
  }

  /** A program is running: ours, or main.py after a reset. */
  get running(): boolean {
    return this.#inFlight > 0 || this.#d.board.state === 'running';
  }

  get lastOutcome(): RunOutcome | null {
    return this.#lastOutcome;
  }

  /** Follows runError events; returns the unsubscribe function. */
  connect(): () => void {
    return this.#d.api.on('runError', (loc) => {
      if (loc) void this.showError(loc);
      else this.clearErrors();
    });
  }

  async run(): Promise<void> {
    const { api, workspace, toasts } = this.#d;
    const tab = workspace.active;
    if (!tab) {
      toasts.info('Nothing to run', 'Open a file or create a new one first.');
      return;
    }
    this.clearErrors();
    this.#runTabId = tab.id;
    const seq = ++this.#runSeq;
    const file = tab.kind === 'project' ? tab.path : EDITOR_FILE;
    this.#inFlight++;
    try {
      const outcome = await api.run(tab.text, file);
      if (seq !== this.#runSeq) return;
      this.#lastOutcome = outcome;
      if (outcome.error) await this.showError(outcome.error);
    } catch (err) {
      if (seq === this.#runSeq) toasts.error('Could not run the program', err);
    } finally {
      this.#inFlight--;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.#d.api.stop();
    } catch (err) {
      this.#d.toasts.error('Could not stop the program', err);
    }
  }

  async reset(hard: boolean): Promise<void> {
    const { api, toasts } = this.#d;
    try {
      await (hard ? api.hardReset() : api.softReset());
    } catch (err) {
      toasts.error(hard ? 'Hard reset failed' : 'Reset failed', err);
    }
  }

  /** Marks the failing line, opening the file when it is another project file. */
  async showError(loc: CodeLocation): Promise<void> {
    const { workspace, files, toasts } = this.#d;
    let tab: EditorTab | undefined;
    if (loc.file === EDITOR_FILE) {
      tab = (this.#runTabId ? workspace.byId(this.#runTabId) : undefined) ?? workspace.active ?? undefined;
    } else {
      tab = workspace.find('project', loc.file) ?? (await files.openProjectFile(loc.file));
    }
    if (!tab) {
      toasts.error(`Error in ${loc.file}, line ${loc.line}`, loc.message);
      return;
    }
    const current = errorMarkOf(tab.state);
    if (current && current.line === loc.line && current.message === loc.message && tab === workspace.active) return;
    workspace.activate(tab);
    const line = tab.state.doc.line(Math.min(Math.max(1, loc.line), tab.state.doc.lines));
    workspace.apply(tab, { effects: setErrorMark.of({ line: loc.line, message: loc.message }) });
    workspace.reveal(tab, line.from);
  }

  clearErrors(): void {
    const { workspace } = this.#d;
    for (const tab of workspace.tabs) {
      if (errorMarkOf(tab.state)) workspace.apply(tab, { effects: setErrorMark.of(null) });
    }
  }
}
