// Progress of a firmware flash, shared by the ESP and UF2 paths, the CLI and the UI.

export type FlashPhase = 'downloading' | 'connecting' | 'detecting' | 'erasing' | 'writing' | 'verifying' | 'resetting' | 'booting' | 'copying' | 'done';

export interface FlashProgress {
  phase: FlashPhase;
  /** Bytes of the image sent so far and in all, while writing or copying. */
  done?: number;
  total?: number;
  /** A line for a log, e.g. "ESP32 detected". */
  message?: string;
}

export type OnFlashProgress = (p: FlashProgress) => void;

/** "writing 42%": the short status line the CLI and the dialog show. */
export function describeProgress(p: FlashProgress): string {
  const pct = p.total ? ` ${Math.floor((100 * (p.done ?? 0)) / p.total)}%` : '';
  return `${p.phase}${pct}${p.message ? `: ${p.message}` : ''}`;
}
