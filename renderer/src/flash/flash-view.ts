// How the flash dialog reads a flash's progress and its choices, as plain
// functions so they are tested without a DOM.

import type { BoardTarget, FlashCatalogueEntry, FlashProgressInfo } from '../../../main/common/api';

export { CATALOGUE_FILE_PREFIX } from '../../../main/common/api';
export { describeProgress } from '../../../runtime/flash/progress';

/** 0..100 for the bar: bytes written while writing or downloading, full once done. */
export function flashPercent(p: FlashProgressInfo | null): number {
  if (!p) return 0;
  if (p.phase === 'done') return 100;
  if (!p.total) return 0;
  return Math.min(100, Math.floor((100 * (p.done ?? 0)) / p.total));
}

/** Serial ports only: the simulator and WebREPL boards cannot be flashed over USB. */
export function flashablePorts(targets: readonly BoardTarget[]): Array<{ port: string; label: string }> {
  return targets.filter((t) => t.kind === 'serial').map((t) => ({ port: t.id.slice('serial:'.length), label: t.busy ? `${t.label} (busy: ${t.busy})` : t.label }));
}

/** "Raspberry Pi Pico · v1.27.0 (cached)". */
export function catalogueLabel(e: FlashCatalogueEntry): string {
  return `${e.boardTitle} · v${e.version}${e.cached ? ' (cached)' : ''}`;
}

/** Why the chosen file cannot be flashed as it is, or null. */
export function fileProblem(file: string, erase: boolean): string | null {
  const f = file.trim();
  if (!f) return 'Choose a firmware image from the list or type the path of a .bin or .uf2 file.';
  if (!/\.(bin|uf2)$/i.test(f)) return 'The firmware must be a .bin file (ESP boards) or a .uf2 file (Raspberry Pi Pico boards).';
  if (erase && /\.uf2$/i.test(f)) return 'Erase is for ESP boards: a UF2 copy replaces the firmware and keeps the files.';
  return null;
}
