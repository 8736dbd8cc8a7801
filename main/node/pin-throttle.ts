// Board-view updates: as fast as the eye needs (up to 60 per second), never a
// flood. The first change goes out at once, later ones are coalesced.

const INTERVAL_MS = 16;

export class PinThrottle {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  constructor(private readonly send: () => void) {}

  changed(): void {
    if (this.timer) return;
    const wait = this.last + INTERVAL_MS - Date.now();
    if (wait <= 0) return this.fire();
    this.timer = setTimeout(() => this.fire(), wait);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.last = Date.now();
    this.send();
  }
}
