// Board profiles for the simulated board: listing them, the current project's
// profile, switching it, and creating a project for one.

import type { BoardStatus, MoteBackend, ProjectInfo } from '../common/api.js';

export type ProfileApi = Pick<MoteBackend, 'listBoardProfiles' | 'getBoardProfile' | 'setBoardProfile' | 'newProject'>;

/** What the profile API needs from the back end. */
export interface ProfileHost {
  projectRoot(): string;
  /** Makes `dir` the open project (the back end emits projectChanged). */
  openProject(dir: string): Promise<ProjectInfo>;
  /** Restarts the simulator as `profileId` (when the simulator is the connected board). */
  switchSimProfile(profileId: string): Promise<BoardStatus>;
}

export function profileApi(_host: ProfileHost): ProfileApi {
  const notYet = async (): Promise<never> => {
    throw new Error('board profiles are not available yet');
  };
  return { listBoardProfiles: notYet, getBoardProfile: notYet, setBoardProfile: notYet, newProject: notYet };
}
