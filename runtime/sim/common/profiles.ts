// The board models a simulated board can be.

import { SIM_PICO, type BoardProfile } from './board-profile.js';
import { ESP32_DEVKITC } from './profiles/esp32-devkitc.js';
import { PICO_W } from './profiles/pico-w.js';

/** The picker's order: the real boards first, then Mote's own teaching board. */
export const BOARD_PROFILES: readonly BoardProfile[] = [PICO_W, ESP32_DEVKITC, SIM_PICO];

/** The profile of a project that never chose one (projects made before profiles existed). */
export const DEFAULT_PROFILE_ID = SIM_PICO.id;

export function findProfile(id: string): BoardProfile | undefined {
  return BOARD_PROFILES.find((b) => b.id === id);
}

export function profileById(id: string): BoardProfile {
  const p = findProfile(id);
  if (!p) throw new Error(`unknown board profile "${id}" (known: ${BOARD_PROFILES.map((b) => b.id).join(', ')})`);
  return p;
}
