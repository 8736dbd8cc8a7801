// Board profiles for the simulated board: listing them, the current project's
// profile, switching it, and creating a project for one. A project keeps its
// profile in its settings file (project/project-settings.ts); the simulator
// keeps a separate folder of board files per profile.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { projectNameProblem, type BoardProfileInfo, type BoardStatus, type MoteBackend, type ProjectInfo } from '../common/api.js';
import type { BoardProfile } from '../../runtime/sim/common/board-profile.js';
import { BOARD_PROFILES, DEFAULT_PROFILE_ID, findProfile, profileById } from '../../runtime/sim/common/profiles.js';
import { readProjectSettings, updateProjectSettings } from './project/project-settings.js';
import { starterMain } from './project/starter-main.js';

export type ProfileApi = Pick<MoteBackend, 'listBoardProfiles' | 'getBoardProfile' | 'setBoardProfile' | 'newProject'>;

/** What the profile API needs from the back end. */
export interface ProfileHost {
  projectRoot(): string;
  /** Makes `dir` the open project (the back end emits projectChanged). */
  openProject(dir: string): Promise<ProjectInfo>;
  /** Restarts the simulator as `profileId` (when the simulator is the connected board). */
  switchSimProfile(profileId: string): Promise<BoardStatus>;
  /** The app's resources folder (board pictures live in resources/boards). */
  resourcesDir: string;
}

/** The profile a project folder asks for; projects from before profiles (or with an unknown id) get the default. */
export async function projectProfileId(root: string): Promise<string> {
  const id = (await readProjectSettings(root)).boardProfile;
  return id !== undefined && findProfile(id) ? id : DEFAULT_PROFILE_ID;
}

function knownProfile(id: string): BoardProfile {
  const p = findProfile(id);
  if (!p) throw new Error(`Unknown board "${id}". Pick one of: ${BOARD_PROFILES.map((b) => `${b.id} (${b.title ?? b.name})`).join(', ')}.`);
  return p;
}

/**
 * The ADC pins the board view offers sliders for: those on the header, and on
 * an ESP32 only ADC1 (channels below 10), because ADC2 stops working while
 * Wi-Fi is on and would crowd the panel with ten more sliders.
 */
function sliderAdcPins(p: BoardProfile): number[] {
  const header = new Set(p.header ?? p.gpios);
  return Object.entries(p.adcPins)
    .filter(([gpio, channel]) => header.has(Number(gpio)) && channel < 10)
    .map(([gpio]) => Number(gpio))
    .sort((a, b) => a - b);
}

function describe(p: BoardProfile): string {
  const header = p.header ?? p.gpios;
  const parts = [p.mcu, `${header.length} GPIO`, `${sliderAdcPins(p).length} ADC`, `${Math.round(p.memFree / 1000)} KB free`];
  if (p.buttons.length > 0) parts.push(p.buttons.map((b) => b.name).join(', ') + ' button');
  return parts.join(' · ');
}

export function profileApi(host: ProfileHost): ProfileApi {
  const pictures = new Map<string, Promise<string>>();
  const picture = (p: BoardProfile) => {
    let svg = pictures.get(p.picture);
    if (!svg) {
      svg = fs.readFile(path.join(host.resourcesDir, 'boards', p.picture), 'utf8');
      // A missing picture is an installation fault: report it, and try again next time.
      svg.catch(() => pictures.delete(p.picture));
      pictures.set(p.picture, svg);
    }
    return svg;
  };
  const info = async (p: BoardProfile): Promise<BoardProfileInfo> => ({
    id: p.id,
    name: p.title ?? p.name,
    description: describe(p),
    platform: p.platform,
    svg: await picture(p),
    gpios: [...(p.header ?? p.gpios)],
    adcPins: sliderAdcPins(p),
    leds: p.leds.map(({ name, gpio, color }) => ({ name, gpio, color })),
    buttons: p.buttons.map(({ name, gpio }) => ({ name, gpio })),
  });

  return {
    listBoardProfiles: () => Promise.all(BOARD_PROFILES.map(info)),
    async getBoardProfile() {
      return info(profileById(await projectProfileId(host.projectRoot())));
    },
    async setBoardProfile(id) {
      const p = knownProfile(id);
      await updateProjectSettings(host.projectRoot(), { boardProfile: p.id });
      return host.switchSimProfile(p.id);
    },
    async newProject({ name, profile }) {
      const problem = projectNameProblem(name);
      if (problem) throw new Error(problem.charAt(0).toUpperCase() + problem.slice(1));
      const p = knownProfile(profile);
      const parent = path.dirname(host.projectRoot());
      const dir = path.join(parent, name);
      await fs.mkdir(parent, { recursive: true });
      try {
        // Not recursive: an existing folder fails here, so two requests cannot both take the name.
        await fs.mkdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`A project named "${name}" already exists in ${parent}`);
        throw e;
      }
      await updateProjectSettings(dir, { boardProfile: p.id });
      await fs.writeFile(path.join(dir, 'main.py'), starterMain(p));
      const opened = await host.openProject(dir);
      await host.switchSimProfile(p.id);
      return opened;
    },
  };
}
