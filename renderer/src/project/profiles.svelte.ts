// The simulated board models the back end offers, and the two things the user
// does with them: start a new project for one, or move the open project to another.

import { projectNameProblem, type BoardProfileInfo, type BoardStatus, type MoteApi, type ProjectInfo } from '../../../main/common/api';

export class BoardProfiles {
  #list = $state.raw<BoardProfileInfo[]>([]);
  /** The New project dialog is open. */
  dialogOpen = $state(false);
  /** A switch or a creation is under way. */
  busy = $state(false);

  get list(): readonly BoardProfileInfo[] {
    return this.#list;
  }

  byId(id: string | null | undefined): BoardProfileInfo | null {
    return this.#list.find((p) => p.id === id) ?? null;
  }

  async load(api: MoteApi): Promise<void> {
    if (this.#list.length === 0) this.#list = await api.listBoardProfiles();
  }

  /** The dialog's check of a name as typed; the back end checks again (and knows which names are taken). */
  nameProblem(name: string): string | null {
    if (name.trim() === '') return 'Give the project a name';
    const p = projectNameProblem(name);
    return p ? p.charAt(0).toUpperCase() + p.slice(1) : null;
  }

  async create(api: MoteApi, name: string, profile: string): Promise<ProjectInfo> {
    this.busy = true;
    try {
      return await api.newProject({ name, profile });
    } finally {
      this.busy = false;
    }
  }

  async switchTo(api: MoteApi, id: string): Promise<BoardStatus> {
    this.busy = true;
    try {
      return await api.setBoardProfile(id);
    } finally {
      this.busy = false;
    }
  }
}
