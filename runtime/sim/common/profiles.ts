// The board models a simulated board can be.

import { SIM_PICO, type BoardProfile } from './board-profile.js';

export const BOARD_PROFILES: readonly BoardProfile[] = [SIM_PICO];

export function profileById(id: string): BoardProfile {
  const p = BOARD_PROFILES.find((b) => b.id === id);
  if (!p) throw new Error(`unknown board profile "${id}" (known: ${BOARD_PROFILES.map((b) => b.id).join(', ')})`);
  return p;
}
