// Runs rollouts: tells the devices of the current wave (rate-limited), folds
// device reports into the registry, and advances, completes or pauses each
// rollout by the rules in wave-plan.ts. Everything it decides from is in the
// database, so after a restart of the service or of the broker `reconcile()`
// picks every rollout up where it was.

import { isFailure, isTerminal, type StateMessage, type StatusMessage } from '../../common/messages.js';
import type { AuditLog } from '../registry/audit-log.js';
import type { DeviceRegistry } from '../registry/device-registry.js';
import type { ReleaseStore } from '../registry/release-store.js';
import type { RolloutPolicy, RolloutRecord, RolloutStore } from '../registry/rollout-store.js';
import { DesiredPublisher, type DesiredPayload } from './desired-publisher.js';
import { checkPolicy, decide, DEFAULT_POLICY, splitIntoWaves } from './wave-plan.js';
import { Listeners } from '../../../runtime/common/listeners.js';

/** States of a rollout's device that mean "told, not finished": its desired message must stay published. */
const IN_FLIGHT = new Set(['notified', 'downloading', 'verified', 'staged', 'trial']);

export class RolloutEngine {
  private readonly listeners = new Listeners<[number]>();

  constructor(
    private readonly rollouts: RolloutStore,
    private readonly releases: ReleaseStore,
    private readonly devices: DeviceRegistry,
    private readonly audit: AuditLog,
    private readonly publisher: DesiredPublisher,
  ) {}

  /** Called whenever a rollout's state, wave or device counts may have changed. */
  onRolloutChanged(cb: (rolloutId: number) => void): () => void {
    return this.listeners.add(cb);
  }

  /** The notification rate of the publisher: the slowest active rollout's, so none exceeds its own limit. */
  notifyRate(): number {
    const active = this.rollouts.active();
    return active.length ? Math.min(...active.map((r) => r.notifyPerSecond)) : DEFAULT_POLICY.notifyPerSecond;
  }

  start(seq: number, group: string, policy: Partial<RolloutPolicy> = {}): RolloutRecord {
    const release = this.releases.get(seq);
    if (!release) throw new Error(`no release ${seq}`);
    const p = checkPolicy({ ...DEFAULT_POLICY, ...policy });
    const members = this.devices.list({ tag: group });
    if (members.length === 0) throw new Error(`group ${JSON.stringify(group)} has no devices`);
    const busy = this.rollouts.active().find((r) => r.group === group);
    if (busy) throw new Error(`rollout ${busy.id} is still ${busy.state} on group ${JSON.stringify(group)}: cancel it or let it finish first`);
    const offline = new Set(members.filter((d) => !d.online).map((d) => d.id));
    const waves = splitIntoWaves(members.map((d) => d.id), p, `${seq}/${group}/${Date.now()}`, offline);
    const r = this.rollouts.create(seq, group, p, waves);
    // Devices already at (or past) this release count as done without being told anything.
    for (const d of members) if (d.seq >= seq) this.rollouts.updateDevice(r.id, d.id, 'succeeded', 100, 'already installed');
    this.audit.append('rollout.started', { rollout: r.id, seq, group, devices: members.length, waves: waves.map((w) => w.length) });
    this.evaluate(r.id);
    this.notifyWave(this.rollouts.get(r.id)!);
    this.emit(r.id);
    return this.rollouts.get(r.id)!;
  }

  pause(id: number, reason = 'paused by operator'): void {
    this.need(id, ['running']);
    this.rollouts.setState(id, 'paused', reason);
    this.publisher.drop(id);
    this.audit.append('rollout.paused', { rollout: id, reason });
    this.emit(id);
  }

  resume(id: number): void {
    this.need(id, ['paused']);
    this.rollouts.setState(id, 'running', null);
    this.audit.append('rollout.resumed', { rollout: id });
    this.evaluate(id);
    const r = this.rollouts.get(id)!;
    if (r.state === 'running') this.notifyWave(r);
    this.emit(id);
  }

  /** Stops a rollout: devices not told are never told, devices still downloading have their desired release withdrawn. */
  cancel(id: number, reason = 'canceled by operator'): void {
    this.need(id, ['running', 'paused']);
    this.publisher.drop(id);
    for (const d of this.rollouts.devices(id)) {
      if (d.state === 'pending') this.rollouts.updateDevice(id, d.deviceId, 'canceled', 0, reason);
      else if (IN_FLIGHT.has(d.state)) {
        this.publisher.clear(d.deviceId);
        this.rollouts.updateDevice(id, d.deviceId, 'canceled', d.progress, reason);
      }
    }
    this.rollouts.setState(id, 'canceled', reason);
    this.audit.append('rollout.canceled', { rollout: id, reason });
    this.emit(id);
  }

  /**
   * Goes back to the release before this rollout's: cancels it if still
   * active, then rolls a new release carrying the old files (a new, higher
   * seq, so devices do not see a replay; unchanged files do not travel) to
   * the whole group in one wave.
   */
  rollback(id: number, rebuild: (seq: number) => { seq: number }, policy: Partial<RolloutPolicy> = {}): RolloutRecord {
    const r = this.need(id, ['running', 'paused', 'completed', 'canceled']);
    const app = this.releases.get(r.seq)!.manifest.app;
    const previous = this.releases.list().find((x) => x.seq < r.seq && x.manifest.app === app);
    if (!previous) throw new Error(`release ${r.seq} has no earlier release of ${app} to roll back to`);
    if (r.state === 'running' || r.state === 'paused') this.cancel(id, `rolled back to release ${previous.seq}`);
    const again = rebuild(previous.seq);
    this.audit.append('rollout.rollback', { rollout: id, from: r.seq, to: previous.seq, asRelease: again.seq });
    return this.start(again.seq, r.group, { ...this.policyOf(r), waves: [1], ...policy });
  }

  /** A device's progress report for release `s.seq`. */
  onStatus(deviceId: string, s: StatusMessage): void {
    let recorded = false;
    for (const r of this.rollouts.activeFor(deviceId).map((x) => x.rollout).concat(this.rollouts.completedWith(deviceId, s.seq))) {
      if (r.seq !== s.seq) continue;
      const d = this.rollouts.device(r.id, deviceId)!;
      if (d.state === 'succeeded' || d.state === 'canceled') continue;
      recorded = true;
      // Progress is the download's percentage; a failure keeps how far it got.
      const progress = s.st === 'downloading' ? Math.round(s.p ?? 0) : isFailure(s.st) || s.st === 'canceled' ? d.progress : 100;
      this.rollouts.updateDevice(r.id, deviceId, s.st, progress, s.why ?? null);
      if (isFailure(s.st)) {
        this.audit.append(`device.${s.st}`, { rollout: r.id, device: deviceId, seq: s.seq, why: s.why ?? '' });
      }
      this.evaluate(r.id);
      this.emit(r.id);
    }
    // A refusal outside any rollout is a security event: someone offered this device a release we did not send (now).
    if (!recorded && isFailure(s.st)) this.audit.append(`device.${s.st}`, { device: deviceId, seq: s.seq, why: s.why ?? '', rollout: null });
  }

  /** A device's retained state: learns outcomes whose status messages were missed (service or broker down). */
  onState(deviceId: string, s: StateMessage): void {
    for (const { rollout: r, device: d } of this.rollouts.activeFor(deviceId)) {
      if (d.state === 'succeeded' || d.state === 'canceled') continue;
      if (s.seq >= r.seq) this.onStatus(deviceId, { seq: r.seq, st: 'succeeded' });
      else if (s.last && s.last.seq === r.seq && s.last.st !== 'succeeded' && !isTerminal(d.state)) {
        this.onStatus(deviceId, { seq: r.seq, st: s.last.st, why: s.last.why });
      }
    }
  }

  /**
   * Re-establishes every active rollout after the service or the broker
   * (re)started: desired messages of devices still in flight are published
   * again (a broker without persistence forgot them; devices treat a repeat
   * as a no-op), and the current wave's untold devices are queued.
   */
  reconcile(): void {
    for (const r of this.rollouts.active()) {
      const release = this.releases.get(r.seq)!;
      const payload = DesiredPublisher.payload(release, r.jitterMs);
      for (const d of this.rollouts.devices(r.id)) {
        if (IN_FLIGHT.has(d.state)) this.tell(r, d.deviceId, payload, () => {});
      }
      this.evaluate(r.id);
      const now = this.rollouts.get(r.id)!;
      if (now.state === 'running') this.notifyWave(now);
    }
  }

  private evaluate(id: number): void {
    for (;;) {
      const r = this.rollouts.get(id)!;
      if (r.state !== 'running') return;
      const d = decide(r, r.wave, this.rollouts.counts(id));
      if (d.kind === 'none') return;
      if (d.kind === 'pause') {
        this.pause(id, d.reason);
        this.audit.append('rollout.auto-paused', { rollout: id, reason: d.reason });
        return;
      }
      if (d.kind === 'complete') {
        this.rollouts.advanceWave(id, r.wave);
        this.rollouts.setState(id, 'completed', null);
        this.audit.append('rollout.completed', { rollout: id, seq: r.seq });
        return;
      }
      this.rollouts.advanceWave(id, r.wave);
      this.audit.append('rollout.wave-started', { rollout: id, wave: r.wave + 1 });
      this.notifyWave(this.rollouts.get(id)!);
    }
  }

  private notifyWave(r: RolloutRecord): void {
    if (r.state !== 'running') return;
    const payload = DesiredPublisher.payload(this.releases.get(r.seq)!, r.jitterMs);
    for (const d of this.rollouts.devices(r.id, { wave: r.wave, state: 'pending' })) {
      const told = this.tell(r, d.deviceId, payload, () => {
        this.rollouts.markNotified(r.id, d.deviceId);
        this.emit(r.id);
      });
      // The failure tell() reported may have paused the rollout.
      if (!told && this.rollouts.get(r.id)!.state !== 'running') return;
    }
  }

  // A device whose message cannot be made (its HMAC key file is unreadable)
  // fails in the rollout with the reason, instead of throwing out of an MQTT
  // event handler and taking the service down.
  // Returns whether the message was queued.
  private tell(r: RolloutRecord, deviceId: string, payload: DesiredPayload, onSent: () => void): boolean {
    try {
      this.publisher.enqueue(deviceId, payload, r.id, onSent);
      return true;
    } catch (e) {
      this.onStatus(deviceId, { seq: r.seq, st: 'failed', why: `not sent: ${(e as Error).message}` });
      return false;
    }
  }

  private need(id: number, states: string[]): RolloutRecord {
    const r = this.rollouts.get(id);
    if (!r) throw new Error(`no rollout ${id}`);
    if (!states.includes(r.state)) throw new Error(`rollout ${id} is ${r.state}, not ${states.join(' or ')}`);
    return r;
  }

  private policyOf(r: RolloutRecord): RolloutPolicy {
    const { waves, minFirstWave, successRatio, failureRatio, minFinished, notifyPerSecond, jitterMs } = r;
    return { waves, minFirstWave, successRatio, failureRatio, minFinished, notifyPerSecond, jitterMs };
  }

  private emit(id: number): void {
    this.listeners.emit(id);
  }
}
