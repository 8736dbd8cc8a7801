// Keeping Tab inside a modal dialog. Only the wrap at either end is taken
// over; in between the browser moves focus as usual, so native radio groups,
// roving tabindex and the like keep their own order.

const CANDIDATES = 'button, input:not([type="hidden"]), select, textarea, a[href], [tabindex]';

/** The elements of `root` that Tab can reach, in document order. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(CANDIDATES)].filter(
    // tabIndex is -1 for tabindex="-1", and checkVisibility sees display:none and visibility:hidden on any ancestor.
    (el) => el.tabIndex >= 0 && !el.matches(':disabled') && el.checkVisibility({ visibilityProperty: true }),
  );
}

/**
 * Where Tab (or Shift+Tab when `backward`) must send focus, as an index into
 * the `count` tabbables, or null to let the browser move it. `at` is the
 * focused element's index among them, or -1 when focus is on none of them
 * (on the panel itself, or outside the dialog): Tab then starts at the first,
 * Shift+Tab at the last.
 */
export function wrapIndex(count: number, at: number, backward: boolean): number | null {
  if (count === 0) return null;
  if (backward) return at <= 0 ? count - 1 : null;
  return at === -1 || at === count - 1 ? 0 : null;
}
