// The fleet as the IDE sees it: one object over the fleet service with plain,
// serialisable results for the dashboard, a throttled change event, and a
// "simulate fleet" switch. Not wired into the API contract yet (main/common/api.ts):
// nothing imports this module so far.

import * as path from 'node:path';
import type { BrokerConfig } from '../../ota/server/broker/broker-config.js';
import { FleetService } from '../../ota/server/fleet-service.js';
import type { AuditEntry } from '../../ota/server/registry/audit-log.js';
import type { DeviceRecord } from '../../ota/server/registry/device-registry.js';
import type { RolloutPolicy, RolloutRecord, WaveRecord } from '../../ota/server/registry/rollout-store.js';
import type { ReleaseOptions } from '../../ota/server/releases/release-builder.js';
import { projectFiles } from '../../ota/server/releases/release-builder.js';
import { SimDevice } from '../../ota/sim/sim-device.js';

export interface ReleaseView { seq: number; app: string; port: string; mpy: string; files: number; bytes: number; source: string; createdAt: number }
export interface WaveView extends WaveRecord { byState: Record<string, number> }
export interface RolloutView extends RolloutRecord { waveViews: WaveView[]; devices: Array<{ deviceId: string; wave: number; state: string; progress: number; why: string | null }> }

export interface FleetOverview {
  /** Where devices connect (no credentials), and the last broker error if any. */
  broker: { url: string; lastError: string | null };
  devices: DeviceRecord[];
  releases: ReleaseView[];
  rollouts: RolloutView[];
  simulated: number;
}

export interface FleetApiOptions {
  dataDir: string;
  broker?: BrokerConfig;
  prefix?: string;
  /** Minimum time between two onChange calls, so a thousand device reports are one dashboard refresh. */
  changeIntervalMs?: number;
}

export class FleetApi {
  private readonly listeners = new Set<() => void>();
  private readonly sims: SimDevice[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastEmit = 0;

  private constructor(readonly service: FleetService, private readonly intervalMs: number) {
    service.engine.onRolloutChanged(() => this.changed());
    service.onDeviceChanged(() => this.changed());
  }

  static async start(opts: FleetApiOptions): Promise<FleetApi> {
    const service = await FleetService.start({ dataDir: opts.dataDir, broker: opts.broker ?? { kind: 'embedded' }, prefix: opts.prefix });
    return new FleetApi(service, opts.changeIntervalMs ?? 250);
  }

  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  overview(group?: string): FleetOverview {
    const s = this.service;
    const url = new URL(s.endpoint.url);
    return {
      broker: { url: `${url.protocol}//${url.host}`, lastError: s.lastBrokerError },
      devices: s.devices.list(group ? { tag: group } : {}),
      releases: s.releases.list().map((r) => ({
        seq: r.seq, app: r.manifest.app, port: r.manifest.port, mpy: r.manifest.mpy, files: r.manifest.files.length,
        bytes: r.manifest.files.reduce((n, f) => n + f.size, 0), source: r.source, createdAt: r.createdAt,
      })),
      rollouts: s.rollouts.list().slice(0, 20).map((r) => this.rolloutView(r)),
      simulated: this.sims.length,
    };
  }

  audit(limit = 200): AuditEntry[] {
    return this.service.audit.recent(limit);
  }

  createRelease(projectRoot: string, opts: ReleaseOptions = {}): Promise<ReleaseView> {
    return this.service.buildRelease(projectRoot, opts).then((r) => this.overview().releases.find((x) => x.seq === r.seq)!);
  }

  startRollout(seq: number, group: string, policy: Partial<RolloutPolicy> = {}): RolloutView {
    return this.rolloutView(this.service.startRollout(seq, group, policy));
  }

  pause(id: number): void {
    this.service.engine.pause(id);
  }
  resume(id: number): void {
    this.service.engine.resume(id);
  }
  cancel(id: number): void {
    this.service.engine.cancel(id);
  }
  rollback(id: number): RolloutView {
    return this.rolloutView(this.service.rollback(id));
  }

  /**
   * Starts `count` simulated devices in `group`, each with the project's
   * current files installed (release 0), so a user can try a rollout without
   * hardware. These are the protocol-level TypeScript devices (ota/sim), not
   * simulated boards running the Python agent.
   */
  async simulateFleet(count: number, group: string, projectRoot: string): Promise<number> {
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw new Error('simulate between 1 and 1000 devices');
    const files = new Map((await projectFiles(projectRoot)).map((f) => [f.path, f.data]));
    if (files.size === 0) throw new Error(`project ${projectRoot} has no files to install on simulated devices`);
    const app = path.basename(path.resolve(projectRoot)).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 32);
    const made = Array.from({ length: count }, (_, i) => new SimDevice({
      id: `sim-${group}-${String(this.sims.length + i + 1).padStart(4, '0')}`.slice(0, 64).replace(/[^A-Za-z0-9_.-]/g, '_'),
      endpoint: this.service.endpoint, prefix: this.service.topics.prefix, publicKey: this.service.key.publicKey, files, app, tags: [group],
    }));
    this.sims.push(...made);
    await Promise.all(made.map((d) => d.boot()));
    this.service.audit.append('fleet.simulated', { count, group });
    return this.sims.length;
  }

  async stopSimulation(): Promise<void> {
    const all = this.sims.splice(0);
    await Promise.all(all.map((d) => d.close()));
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.stopSimulation();
    await this.service.close();
  }

  private rolloutView(r: RolloutRecord): RolloutView {
    const counts = this.service.rollouts.counts(r.id);
    return {
      ...r,
      waveViews: this.service.rollouts.waves(r.id).map((w) => ({ ...w, byState: counts[w.wave]?.byState ?? {} })),
      devices: this.service.rollouts.devices(r.id).map(({ deviceId, wave, state, progress, why }) => ({ deviceId, wave, state, progress, why })),
    };
  }

  private changed(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastEmit + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastEmit = Date.now();
      for (const cb of this.listeners) cb();
    }, wait);
  }
}
