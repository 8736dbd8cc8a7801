// The user's project folder as the back end reports it.

import type { MoteApi, ProjectInfo } from '../../../main/common/api';

export class ProjectState {
  #info = $state.raw<ProjectInfo | null>(null);

  get info(): ProjectInfo | null {
    return this.#info;
  }

  get files(): readonly string[] {
    return this.#info?.files ?? [];
  }

  has(path: string): boolean {
    return this.files.includes(path);
  }

  /** Follows projectChanged; `onRootChange` runs when a different folder is opened. */
  connect(api: MoteApi, onRootChange: (info: ProjectInfo, previous: ProjectInfo | null) => void): () => void {
    return api.on('projectChanged', (info) => this.#set(info, onRootChange));
  }

  async load(api: MoteApi, onRootChange: (info: ProjectInfo, previous: ProjectInfo | null) => void): Promise<void> {
    this.#set(await api.getProject(), onRootChange);
  }

  /** After a save of a new file, before projectChanged arrives. */
  addLocally(path: string): void {
    const info = this.#info;
    if (!info || info.files.includes(path)) return;
    this.#info = { ...info, files: [...info.files, path].sort() };
  }

  #set(info: ProjectInfo, onRootChange: (info: ProjectInfo, previous: ProjectInfo | null) => void): void {
    const previous = this.#info;
    this.#info = info;
    if (!previous || previous.root !== info.root) onRootChange(info, previous);
  }
}
