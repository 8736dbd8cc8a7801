// A fleet for tests and benchmarks: a broker (private mosquitto, or aedes
// started apart from the service so it can be restarted), a fleet service on
// a temp data folder, a project folder to release, and simulated devices.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedBroker } from '../server/broker/embedded-broker.js';
import { FleetService, type FleetServiceOptions } from '../server/fleet-service.js';
import type { RolloutRecord } from '../server/registry/rollout-store.js';
import { SimDevice, type SimDeviceOptions } from '../sim/sim-device.js';
import { Mosquitto } from './mosquitto.js';
import { waitFor, type Subscribe } from './wait-for.js';

export type BrokerKind = 'mosquitto' | 'aedes';

/** A broker the test controls, including restarts on the same port. */
export interface TestBroker {
  url: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestBroker(kind: BrokerKind): Promise<TestBroker> {
  if (kind === 'mosquitto') {
    const m = await Mosquitto.start();
    return { url: m.url, restart: () => m.restart(), close: () => m.close() };
  }
  let b = await EmbeddedBroker.start({ kind: 'embedded' });
  const port = b.port;
  return {
    url: b.endpoint.url,
    restart: async () => {
      await b.close();
      b = await EmbeddedBroker.start({ kind: 'embedded', port });
    },
    close: () => b.close(),
  };
}

/** Writes `files` (relative path → content) into a fresh folder. */
export function writeProject(dir: string, files: Record<string, Buffer | string>): string {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, data] of Object.entries(files)) {
    const p = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
  }
  return dir;
}

/** `count` files of `size` random bytes each, named lib/mod<i>.py plus main.py. */
export function randomApp(count: number, size: number): Record<string, Buffer> {
  const out: Record<string, Buffer> = { 'main.py': Buffer.from('import app\napp.run()\n') };
  for (let i = 1; i < count; i++) out[`lib/mod${i}.py`] = randomBytes(size);
  return out;
}

export class FleetFixture {
  readonly devices: SimDevice[] = [];
  private constructor(readonly dir: string, readonly broker: TestBroker, public service: FleetService, readonly prefix: string) {}

  static async start(kind: BrokerKind, prefix = 'test/fleet', extra: Partial<FleetServiceOptions> = {}): Promise<FleetFixture> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-fleet-'));
    const broker = await startTestBroker(kind);
    const service = await FleetService.start({ dataDir: path.join(dir, 'data'), broker: { kind: 'external', url: broker.url }, prefix, ...extra });
    return new FleetFixture(dir, broker, service, prefix);
  }

  /** Stops the service and starts a new one on the same data folder, as an IDE restart does. */
  async restartService(): Promise<void> {
    await this.service.close();
    this.service = await FleetService.start({ dataDir: path.join(this.dir, 'data'), broker: { kind: 'external', url: this.broker.url }, prefix: this.prefix });
  }

  project(name: string, files: Record<string, Buffer | string>): string {
    return writeProject(path.join(this.dir, 'projects', name), files);
  }

  /** Boots `n` simulated devices tagged `group`, all with `files` installed as release `installedSeq`. */
  async addDevices(n: number, group: string, files: Record<string, Buffer>, extra: Partial<SimDeviceOptions> = {}, idPrefix = 'sim'): Promise<SimDevice[]> {
    const map = new Map(Object.entries(files));
    const made: SimDevice[] = [];
    for (let i = 0; i < n; i++) {
      const d = new SimDevice({
        id: `${idPrefix}-${String(this.devices.length + 1).padStart(4, '0')}`,
        endpoint: { url: this.broker.url },
        prefix: this.prefix,
        publicKey: this.service.key.publicKey,
        files: map,
        tags: [group],
        ...extra,
      });
      this.devices.push(d);
      made.push(d);
    }
    await Promise.all(made.map((d) => d.boot()));
    await this.until(`${n} devices registered`, () => made.every((d) => this.service.devices.get(d.id)?.tags.includes(group)));
    return made;
  }

  /** Event sources that may change what a test waits for. */
  get sources(): Subscribe[] {
    return [
      (cb) => this.service.engine.onRolloutChanged(cb),
      (cb) => this.service.onDeviceChanged(cb),
      ...this.devices.map((d): Subscribe => (cb) => {
        d.on('status', cb);
        return () => d.off('status', cb);
      }),
    ];
  }

  until(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
    return waitFor(what, cond, this.sources, timeoutMs);
  }

  rollout(id: number): RolloutRecord {
    return this.service.rollouts.get(id)!;
  }

  untilRollout(id: number, state: RolloutRecord['state'], timeoutMs?: number): Promise<void> {
    return this.until(`rollout ${id} ${state}`, () => this.rollout(id).state === state, timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all(this.devices.map((d) => d.close()));
    await this.service.close();
    await this.broker.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
