// An on/off choice remembered between launches (a pane left open). Storage
// may be unavailable (private mode): the choice then lasts one session.

export function loadFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

export function saveFlag(key: string, on: boolean): void {
  try {
    localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // Kept for this session only.
  }
}
