// What the user does with files: open, create, save, close, upload to the board,
// open and delete board files. Every failure becomes a toast and leaves the
// editor text as it was, so nothing typed is lost.

import type { BoardFile, MoteApi, ProjectInfo } from '../../../main/common/api';
import type { BoardFilesState } from './board-files.svelte';
import type { Dialogs } from './dialogs.svelte';
import type { EditorTab } from './editor-tab.svelte';
import { basename, checkRelativePath, formatSize, withPythonExtension } from './paths';
import type { ProjectState } from './project.svelte';
import { STARTER_PROGRAM } from './starter';
import type { Toasts } from './toasts.svelte';
import type { Workspace } from './workspace.svelte';

export type UploadMode = 'main' | 'own';

export interface FileActionsDeps {
  api: MoteApi;
  workspace: Workspace;
  project: ProjectState;
  boardFiles: BoardFilesState;
  dialogs: Dialogs;
  toasts: Toasts;
}

export class FileActions {
  readonly #d: FileActionsDeps;

  constructor(deps: FileActionsDeps) {
    this.#d = deps;
  }

  async openProjectFile(path: string): Promise<EditorTab | undefined> {
    const { api, workspace, toasts } = this.#d;
    const open = workspace.find('project', path);
    if (open) {
      workspace.activate(open);
      return open;
    }
    try {
      const text = await api.readProjectFile(path);
      return workspace.open('project', path, text);
    } catch (err) {
      toasts.error(`Could not open ${path}`, err);
      return undefined;
    }
  }

  async newFile(): Promise<void> {
    const { api, workspace, project, dialogs, toasts } = this.#d;
    const name = await dialogs.prompt('New file', {
      message: 'Name of the new file in the project folder:',
      placeholder: 'blink.py',
      okLabel: 'Create',
      validate: (text) => this.#checkNewProjectPath(text),
    });
    if (name === null) return;
    const path = withPythonExtension(name);
    try {
      await api.writeProjectFile(path, '');
      project.addLocally(path);
      workspace.open('project', path, '');
      workspace.view?.focus();
    } catch (err) {
      toasts.error(`Could not create ${path}`, err);
    }
  }

  /** Saves the tab where it belongs: the project folder, or the board for board tabs. */
  async save(tab: EditorTab | null = this.#d.workspace.active): Promise<boolean> {
    const { api, workspace, project, boardFiles, toasts } = this.#d;
    if (!tab) return false;
    if (tab.kind === 'scratch') return this.#saveScratch(tab);
    const doc = tab.state.doc;
    try {
      if (tab.kind === 'project') {
        await api.writeProjectFile(tab.path, doc.toString());
        project.addLocally(tab.path);
      } else {
        await api.upload(doc.toString(), tab.path);
        boardFiles.refresh(api).catch(() => {});
        toasts.success(`Saved ${tab.path} on the board`);
      }
      workspace.markSaved(tab, doc);
      return true;
    } catch (err) {
      toasts.error(`Could not save ${tab.path}. Your changes are still in the editor.`, err);
      return false;
    }
  }

  async closeTab(tab: EditorTab): Promise<void> {
    const { workspace, dialogs } = this.#d;
    if (tab.dirty) {
      const discard = await dialogs.confirm(
        `Close ${tab.name}?`,
        `${tab.name} has changes that are not saved. Closing the tab throws them away.`,
        'Close without saving',
        true,
      );
      if (!discard) return;
    }
    workspace.close(tab);
  }

  async upload(mode: UploadMode, tab: EditorTab | null = this.#d.workspace.active): Promise<void> {
    const { api, dialogs, toasts } = this.#d;
    if (!tab) {
      toasts.info('Open a file first', 'Upload copies the file in the editor to the board.');
      return;
    }
    let boardPath: string | null = mode === 'main' ? 'main.py' : tab.kind === 'scratch' ? null : tab.path;
    if (boardPath === null) {
      const answer = await dialogs.prompt('Upload to the board', {
        message: 'Name of the file on the board:',
        value: tab.name,
        okLabel: 'Upload',
        validate: checkRelativePath,
      });
      if (answer === null) return;
      boardPath = withPythonExtension(answer);
    }
    const text = tab.text;
    try {
      await api.upload(text, boardPath);
      const size = formatSize(new TextEncoder().encode(text).length);
      toasts.success(
        `Uploaded to the board as ${boardPath}`,
        boardPath === 'main.py' ? `${size}. It runs every time the board starts (Reset to run it now).` : size,
      );
    } catch (err) {
      toasts.error(`Could not upload ${boardPath}`, err);
    }
    await this.refreshBoardFiles();
  }

  async refreshBoardFiles(): Promise<void> {
    try {
      await this.#d.boardFiles.refresh(this.#d.api);
    } catch {
      // The panel shows the error in place; a toast on every refresh would be noise.
    }
  }

  /**
   * Copies a project file onto the board (dropped on the board panel): into
   * `boardDir` ('/' for the top level) under its own name, with progress.
   */
  async uploadProjectFileTo(projectPath: string, boardDir: string): Promise<void> {
    const { api, boardFiles, toasts } = this.#d;
    if (boardFiles.upload) {
      toasts.info('Wait for the current upload to finish', `${boardFiles.upload.boardPath} is still being copied.`);
      return;
    }
    const dir = boardDir.replace(/\/+$/, '');
    const boardPath = `${dir.startsWith('/') || dir === '' ? dir : `/${dir}`}/${basename(projectPath)}`;
    boardFiles.upload = { boardPath, progress: null };
    const off = api.on('transferProgress', (p) => {
      if (boardFiles.upload?.boardPath === boardPath) boardFiles.upload = { boardPath, progress: p };
    });
    try {
      await api.uploadProjectFile(projectPath, boardPath);
      toasts.success(`Uploaded ${projectPath} to the board as ${boardPath}`);
    } catch (err) {
      toasts.error(`Could not upload ${projectPath} to ${boardPath}`, err);
    } finally {
      off();
      boardFiles.upload = null;
    }
    await this.refreshBoardFiles();
  }

  async openBoardFile(file: BoardFile): Promise<void> {
    const { api, workspace, toasts } = this.#d;
    if (file.isDir) return;
    const open = workspace.find('board', file.path);
    if (open) {
      workspace.activate(open);
      return;
    }
    try {
      const text = await api.readBoardFile(file.path);
      workspace.open('board', file.path, text);
    } catch (err) {
      toasts.error(`Could not read ${file.path} from the board`, err);
    }
  }

  async deleteBoardFile(file: BoardFile): Promise<void> {
    const { api, boardFiles, dialogs, toasts } = this.#d;
    const what = file.isDir ? 'folder' : 'file';
    const ok = await dialogs.confirm(
      `Delete ${file.path}?`,
      `The ${what} ${file.path} will be removed from the board. This cannot be undone.`,
      'Delete',
      true,
    );
    if (!ok) return;
    try {
      await api.deleteBoardFile(file.path);
      boardFiles.removeLocally(file.path);
      toasts.success(`Deleted ${file.path} from the board`);
    } catch (err) {
      toasts.error(`Could not delete ${file.path}`, err);
    }
    await this.refreshBoardFiles();
  }

  async newBoardFolder(): Promise<void> {
    const { api, dialogs, toasts } = this.#d;
    const name = await dialogs.prompt('New folder on the board', {
      message: 'Name of the folder (e.g. lib or data/logs):',
      placeholder: 'lib',
      okLabel: 'Create',
      validate: checkRelativePath,
    });
    if (name === null) return;
    try {
      await api.mkdirBoard(name);
    } catch (err) {
      toasts.error(`Could not create the folder ${name}`, err);
    }
    await this.refreshBoardFiles();
  }

  async renameBoardFile(file: BoardFile): Promise<void> {
    const { api, dialogs, toasts } = this.#d;
    const current = file.path.replace(/^\/+/, '');
    const name = await dialogs.prompt(`Rename ${current}`, {
      message: 'New name or path on the board:',
      value: current,
      okLabel: 'Rename',
      validate: (text) => checkRelativePath(text) ?? (text === current ? 'Enter a different name.' : null),
    });
    if (name === null) return;
    try {
      await api.renameBoard(file.path, name);
      toasts.success(`Renamed ${current} to ${name}`);
    } catch (err) {
      toasts.error(`Could not rename ${current}`, err);
    }
    await this.refreshBoardFiles();
  }

  /** Copies a board file into the project (verified), asking before it replaces one. */
  async downloadBoardFile(file: BoardFile): Promise<void> {
    const { api, project, dialogs, toasts } = this.#d;
    if (file.isDir) return;
    const name = await dialogs.prompt(`Download ${basename(file.path)}`, {
      message: 'Save it in the project as:',
      value: file.path.replace(/^\/+/, ''),
      okLabel: 'Download',
      validate: checkRelativePath,
    });
    if (name === null) return;
    if (project.has(name) && !(await dialogs.confirm(`Replace ${name}?`, `${name} already exists in the project.`, 'Replace', true))) return;
    try {
      await api.downloadBoardFile(file.path, name);
      project.addLocally(name);
      toasts.success(`Downloaded ${file.path} to ${name}`, formatSize(file.size));
    } catch (err) {
      toasts.error(`Could not download ${file.path}`, err);
    }
  }

  async reloadProject(): Promise<void> {
    try {
      await this.#d.project.load(this.#d.api, (info, previous) => this.projectOpened(info, previous));
    } catch (err) {
      this.#d.toasts.error('Could not read the project folder', err);
    }
  }

  /** A project folder was opened (at start, or from the menu): show its tabs. */
  async projectOpened(info: ProjectInfo, previous: ProjectInfo | null): Promise<void> {
    const { workspace, toasts } = this.#d;
    if (previous) {
      let kept = 0;
      for (const tab of [...workspace.tabs]) {
        if (tab.kind !== 'project') continue;
        if (tab.dirty) {
          // Keep unsaved work, but never write it into the new folder by accident.
          workspace.retarget(tab, 'scratch', `${basename(tab.path)} (from ${basename(previous.root)})`);
          kept++;
        } else {
          workspace.close(tab);
        }
      }
      if (kept > 0) toasts.info(`Kept ${kept} unsaved tab(s) from ${basename(previous.root)}`, 'Save them with Ctrl+S to choose a name in the new folder.');
    }
    if (workspace.tabs.length > 0) return;
    const first = info.files.includes('main.py') ? 'main.py' : info.files.find((f) => f.endsWith('.py'));
    if (first) await this.openProjectFile(first);
    else workspace.openScratch(STARTER_PROGRAM);
  }

  async #saveScratch(tab: EditorTab): Promise<boolean> {
    const { api, workspace, project, dialogs, toasts } = this.#d;
    const suggested = tab.path.startsWith('untitled-') ? 'main.py' : tab.name.replace(/ \(from .*\)$/, '');
    const name = await dialogs.prompt('Save to the project', {
      message: 'File name in the project folder:',
      value: this.#checkNewProjectPath(suggested) ? '' : suggested,
      placeholder: 'main.py',
      okLabel: 'Save',
      validate: (text) => this.#checkNewProjectPath(text),
    });
    if (name === null) return false;
    const path = withPythonExtension(name);
    const doc = tab.state.doc;
    try {
      await api.writeProjectFile(path, doc.toString());
      project.addLocally(path);
      workspace.retarget(tab, 'project', path);
      workspace.markSaved(tab, doc);
      return true;
    } catch (err) {
      toasts.error(`Could not save ${path}. Your text is still in the editor.`, err);
      return false;
    }
  }

  #checkNewProjectPath(text: string): string | null {
    const problem = checkRelativePath(text.trim() === '' ? '' : withPythonExtension(text));
    if (problem) return problem;
    const path = withPythonExtension(text);
    if (this.#d.project.has(path) || this.#d.workspace.find('project', path)) return `${path} already exists in the project.`;
    return null;
  }
}
