// Board-view updates: as fast as the eye needs (up to 60 per second), never a
// flood. The first change goes out at once, later ones are coalesced. The
// fleet dashboard uses it too, with a longer interval.

const INTERVAL_MS = 16;

export class PinThrottle {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  constructor(
    private readonly send: () => void,
    private readonly intervalMs = INTERVAL_MS,
  ) {}

  changed(): void {
    if (this.timer) return;
    const wait = this.last + this.intervalMs - Date.now();
    if (wait <= 0) return this.fire();
    this.timer = setTimeout(() => this.fire(), wait);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.send();
    // After sending: the interval is between what listeners receive, however long send() took.
    this.last = Date.now();
  }
}
