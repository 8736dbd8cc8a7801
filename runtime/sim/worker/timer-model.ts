// Virtual timers for machine.Timer. Deadlines follow the original schedule
// (start + k × period), so a late callback does not shift the next ones. A
// timer that fell behind catches up, as a board's scheduler queue does, but
// by at most a queue's worth: beyond that the missed calls are dropped.

/** MICROPY_SCHEDULER_DEPTH of the ports. */
const MAX_BEHIND = 8;

export class TimerModel {
  private readonly timers = new Map<number, { periodMs: number; next: number; oneShot: boolean }>();

  start(id: number, periodUs: number, oneShot: boolean): void {
    const periodMs = Math.max(periodUs / 1000, 0.001);
    this.timers.set(id, { periodMs, next: performance.now() + periodMs, oneShot });
  }

  stop(id: number): void {
    this.timers.delete(id);
  }

  /** Id of a timer that is due now (and reschedules it), or -1. */
  takeDue(): number {
    const now = performance.now();
    let dueId = -1;
    let dueAt = Infinity;
    for (const [id, t] of this.timers) if (t.next <= now && t.next < dueAt) [dueId, dueAt] = [id, t.next];
    if (dueId < 0) return -1;
    const t = this.timers.get(dueId)!;
    if (t.oneShot) this.timers.delete(dueId);
    else {
      t.next += t.periodMs;
      const behind = Math.floor((now - t.next) / t.periodMs);
      if (behind > MAX_BEHIND) t.next += (behind - MAX_BEHIND) * t.periodMs;
    }
    return dueId;
  }

  /** Ms until the next timer is due (0 if one is), Infinity if none runs. */
  msUntilNext(): number {
    let next = Infinity;
    for (const t of this.timers.values()) next = Math.min(next, t.next);
    return next === Infinity ? Infinity : Math.max(0, next - performance.now());
  }
}
