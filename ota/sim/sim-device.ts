// A protocol-level simulated device: speaks exactly the agent's wire protocol
// (ota/PROTOCOL.md) with the agent's rules (verify the signed manifest, refuse
// replays and other ports, fetch only files it lacks, stage, switch, confirm
// or roll back), over its own MQTT connection. It does not run Python; the
// real agent is ota/device/. Used for load tests and for the fleet tests'
// fault scenarios.

import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { incompatibility } from '../common/compat.js';
import { publicKeyFromRaw, verifyManifestSignature } from '../common/ed25519-key.js';
import { decodeManifest, type Manifest } from '../common/manifest.js';
import { encodeJson, parseDesired, type DesiredMessage, type StateMessage, type StatusMessage, type TerminalState } from '../common/messages.js';
import { FleetTopics } from '../common/topics.js';
import type { BrokerEndpoint } from '../server/broker/broker-config.js';
import { BlockFetcher } from './block-fetcher.js';
import { CountedClient, type WireCounts } from './counted-client.js';
import { SimFlash, type StagedFile } from './sim-flash.js';

export interface SimFaults {
  /** The new app raises at start for these releases: no health confirmation, so the device rolls back. */
  healthFails?: (seq: number) => boolean;
  /** Lose every Nth incoming block (exercises gap recovery). */
  dropEveryNthBlock?: number;
  /** Cut the power once when this fraction of the download is done; it reboots after rebootMs and resumes. */
  powerCutAt?: number;
}

export interface SimDeviceOptions {
  id: string;
  endpoint: BrokerEndpoint;
  prefix: string;
  /** Raw 32-byte Ed25519 key the device was provisioned with. */
  publicKey: Uint8Array;
  /** The app in slot a at first boot. */
  files: Map<string, Buffer>;
  app?: string;
  installedSeq?: number;
  port?: string;
  mpy?: string;
  tags?: string[];
  /** 2 KB suits an ESP8266 (umqtt holds a whole message in RAM). */
  blockSize?: number;
  window?: number;
  timeoutMs?: number;
  rebootMs?: number;
  faults?: SimFaults;
}

class Superseded extends Error {}

export class SimDevice extends EventEmitter {
  readonly id: string;
  readonly flash: SimFlash;
  /** Steps this device reported, in order (for tests). */
  readonly reported: StatusMessage[] = [];
  private readonly topics: FleetTopics;
  private readonly key;
  private readonly opts: Required<Omit<SimDeviceOptions, 'faults' | 'tags'>> & { faults: SimFaults; tags: string[] };
  private cc: CountedClient | null = null;
  private wireBase: WireCounts = { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 };
  private fetcher: BlockFetcher;
  private job: { seq: number; gen: number } | null = null;
  private gen = 0;
  private blocksSeen = 0;
  private powerCutDone = false;
  private afterBoot: (() => void) | null = null;

  constructor(o: SimDeviceOptions) {
    super();
    this.id = o.id;
    this.opts = {
      app: 'app', installedSeq: 0, port: 'esp32', mpy: '1.22.0', blockSize: 2048, window: 4, timeoutMs: 1500, rebootMs: 50,
      ...o, tags: o.tags ?? [], faults: o.faults ?? {},
    };
    this.topics = new FleetTopics(o.prefix);
    this.key = publicKeyFromRaw(o.publicKey);
    this.flash = new SimFlash(o.files);
    this.flash.installedSeq = this.opts.installedSeq;
    this.flash.app = this.opts.app;
    this.fetcher = this.newFetcher();
  }

  get online(): boolean {
    return this.cc?.client.connected ?? false;
  }

  /** Wire bytes and packets since the device first booted, across reconnects and reboots. */
  counts(): WireCounts {
    const c = this.cc?.counts() ?? { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 };
    return { rxBytes: this.wireBase.rxBytes + c.rxBytes, txBytes: this.wireBase.txBytes + c.txBytes, rxPackets: this.wireBase.rxPackets + c.rxPackets, txPackets: this.wireBase.txPackets + c.txPackets };
  }

  /** Powers on and connects; resolves when the broker has accepted the device and its subscriptions. */
  boot(): Promise<void> {
    const o = this.opts;
    const cc = new CountedClient(o.endpoint.url, {
      clientId: o.id, protocolVersion: 4, clean: true, keepalive: 60, reconnectPeriod: 500, connectTimeout: 10_000,
      username: o.endpoint.username, password: o.endpoint.password,
      will: { topic: this.topics.device(o.id, 'online'), payload: Buffer.from('0'), qos: 1, retain: true },
    });
    this.cc = cc;
    this.fetcher = this.newFetcher();
    return new Promise((resolve) => {
      cc.client.on('connect', () => {
        if (this.cc !== cc) return;
        this.publish('online', Buffer.from('1'), true);
        this.publishState();
        cc.client.subscribe({ [this.topics.device(o.id, 'desired')]: { qos: 1 }, [this.topics.device(o.id, 'blk')]: { qos: 0 } }, () => {
          this.fetcher.resend();
          const next = this.afterBoot;
          this.afterBoot = null;
          next?.();
          resolve();
        });
      });
      cc.client.on('message', (topic, payload) => {
        if (this.cc !== cc) return;
        if (topic.endsWith('/blk')) this.onBlock(payload);
        else if (topic.endsWith('/desired')) this.onDesired(payload);
      });
    });
  }

  /** Loses power (no DISCONNECT: the broker publishes the will). RAM state is gone; flash stays. */
  powerOff(): void {
    this.gen++;
    this.job = null;
    this.fetcher.abort(new Superseded('power off'));
    if (this.cc) {
      const c = this.cc.counts();
      this.wireBase = { rxBytes: this.wireBase.rxBytes + c.rxBytes, txBytes: this.wireBase.txBytes + c.txBytes, rxPackets: this.wireBase.rxPackets + c.rxPackets, txPackets: this.wireBase.txPackets + c.txPackets };
      this.cc.cut();
      this.cc = null;
    }
  }

  /** Resets, as after a switch: power off, then boot after rebootMs; `then` runs once connected. */
  private reboot(then: () => void): void {
    this.powerOff();
    this.afterBoot = then;
    setTimeout(() => void this.boot(), this.opts.rebootMs);
  }

  async close(): Promise<void> {
    this.gen++;
    this.fetcher.abort(new Superseded('closed'));
    const cc = this.cc;
    this.cc = null;
    if (cc) await new Promise<void>((r) => cc.client.end(true, {}, () => r()));
  }

  private newFetcher(): BlockFetcher {
    const o = this.opts;
    return new BlockFetcher({ request: (p) => this.publish('get', p, false, 0) }, { blockSize: o.blockSize, window: o.window, timeoutMs: o.timeoutMs });
  }

  private onBlock(payload: Buffer): void {
    this.blocksSeen++;
    const n = this.opts.faults.dropEveryNthBlock;
    if (n && this.blocksSeen % n === 0) return;
    this.fetcher.onBlock(payload);
  }

  private onDesired(payload: Buffer): void {
    let d: DesiredMessage | null;
    try {
      d = parseDesired(payload);
    } catch {
      return; // not something the service sends; nothing to report against
    }
    if (d === null) {
      // Withdrawn: stop a download in progress. Staged files are dropped.
      if (this.job) {
        const seq = this.job.seq;
        this.abortJob();
        this.flash.staging = null;
        this.finish(seq, 'canceled', 'desired release withdrawn');
      }
      return;
    }
    if (this.job?.seq === d.seq || d.seq === this.flash.installedSeq || this.flash.last?.seq === d.seq || this.flash.trial) return;
    if (this.job) this.abortJob();
    const job = { seq: d.seq, gen: ++this.gen };
    this.job = job;
    this.apply(d, job.gen).catch((e: unknown) => {
      if (e instanceof Superseded || job.gen !== this.gen) return;
      this.job = null;
      this.flash.staging = null;
      this.finish(d.seq, 'failed', e instanceof Error ? e.message : String(e));
    });
  }

  private abortJob(): void {
    this.gen++;
    this.job = null;
    this.fetcher.abort(new Superseded('superseded'));
  }

  private alive(gen: number): void {
    if (gen !== this.gen) throw new Superseded('superseded');
  }

  private async apply(d: DesiredMessage, gen: number): Promise<void> {
    const reject = (why: string) => {
      this.job = null;
      this.finish(d.seq, 'rejected', why);
    };
    if (d.seq < this.flash.installedSeq) return reject(`replay: release ${d.seq} is older than installed ${this.flash.installedSeq}`);
    // Resuming a download skips the jitter: this device already had its turn.
    if (d.j > 0 && this.flash.staging?.seq !== d.seq) await new Promise((r) => setTimeout(r, Math.random() * d.j));
    this.alive(gen);

    const parts: Buffer[] = [];
    await this.fetcher.fetch(d.h, d.n, 0, (b) => parts.push(b));
    this.alive(gen);
    const manifestBytes = Buffer.concat(parts);
    if (createHash('sha256').update(manifestBytes).digest('hex') !== d.h) return reject('manifest does not match its hash');
    const text = manifestBytes.toString('utf8');
    if (!verifyManifestSignature(this.key, text, d.s)) return reject('bad signature on manifest');
    let m: Manifest;
    try {
      m = decodeManifest(text);
    } catch (e) {
      return reject((e as Error).message);
    }
    if (m.seq !== d.seq) return reject(`manifest seq ${m.seq} differs from desired ${d.seq}`);
    if (m.seq <= this.flash.installedSeq) return reject(`replay: release ${m.seq} is not newer than installed ${this.flash.installedSeq}`);
    const why = incompatibility(m, this.opts.port, this.opts.mpy);
    if (why) return reject(`incompatible: ${why}`);

    await this.download(m, gen);
    this.report({ seq: m.seq, st: 'verified' });

    const flash = this.flash;
    const have = this.byHash(flash.slots[flash.active]);
    const slot = new Map<string, Buffer>();
    for (const f of m.files) {
      const staged = flash.staging!.files.get(f.sha256);
      slot.set(f.path, staged ? Buffer.concat(staged.chunks) : have.get(f.sha256)!);
    }
    flash.slots[flash.inactive] = slot;
    flash.staging = null;
    this.report({ seq: m.seq, st: 'staged' });

    // The pointer switch is the commit point: from here a reset boots the new slot on trial.
    // The installed seq moves only when the new app confirms health, so the state published meanwhile does not claim success.
    flash.trial = { seq: m.seq, app: m.app, previous: flash.active };
    flash.active = flash.inactive;
    this.job = null;
    this.reboot(() => this.runTrial());
  }

  private async download(m: Manifest, gen: number): Promise<void> {
    const flash = this.flash;
    const have = this.byHash(flash.slots[flash.active]);
    if (flash.staging?.seq !== m.seq) flash.staging = { seq: m.seq, files: new Map() };
    const staging = flash.staging;
    const need = new Map(m.files.filter((f) => !have.has(f.sha256)).map((f) => [f.sha256, f]));
    const total = [...need.values()].reduce((n, f) => n + f.size, 0);
    let done = [...need.keys()].reduce((n, sha) => n + (staging.files.get(sha)?.length ?? 0), 0);
    let reported = Math.floor((done / Math.max(1, total)) * 4);
    this.report({ seq: m.seq, st: 'downloading', p: Math.floor((done / Math.max(1, total)) * 100) });
    for (const f of need.values()) {
      let sf: StagedFile | undefined = staging.files.get(f.sha256);
      if (!sf) {
        sf = { sha256: f.sha256, size: f.size, chunks: [], length: 0 };
        staging.files.set(f.sha256, sf);
      }
      const file = sf;
      // On resume the partial file is hashed again from flash, as the agent does.
      const hash = createHash('sha256');
      for (const c of file.chunks) hash.update(c);
      await this.fetcher.fetch(f.sha256, f.size, file.length, (data) => {
        file.chunks.push(data);
        file.length += data.length;
        hash.update(data);
        done += data.length;
        // Progress in quarter steps: each status costs bytes on a slow link.
        const q = Math.floor((done / total) * 4);
        if (q > reported && q < 4) {
          reported = q;
          this.report({ seq: m.seq, st: 'downloading', p: q * 25 });
        }
        const cut = this.opts.faults.powerCutAt;
        if (cut !== undefined && !this.powerCutDone && done / total >= cut) {
          this.powerCutDone = true;
          queueMicrotask(() => this.reboot(() => {}));
        }
      });
      this.alive(gen);
      if (hash.digest('hex') !== f.sha256) {
        throw new Error(`hash mismatch: ${f.path} does not match its SHA-256 in the manifest`);
      }
    }
  }

  /** First boot of a new slot: the app confirms health, or the device goes back to the previous slot. */
  private runTrial(): void {
    const t = this.flash.trial;
    if (!t) return;
    this.report({ seq: t.seq, st: 'trial' });
    if (this.opts.faults.healthFails?.(t.seq)) {
      const flash = this.flash;
      flash.active = t.previous;
      flash.trial = null;
      flash.last = { seq: t.seq, st: 'rolled_back', why: 'main.py raised before confirming health' };
      this.reboot(() => this.finish(t.seq, 'rolled_back', 'main.py raised before confirming health'));
      return;
    }
    this.flash.trial = null;
    this.flash.installedSeq = t.seq;
    this.flash.app = t.app;
    this.finish(t.seq, 'succeeded');
  }

  private finish(seq: number, st: TerminalState, why?: string): void {
    this.flash.last = why ? { seq, st, why } : { seq, st };
    this.report(why ? { seq, st, why } : { seq, st });
    this.publishState();
  }

  private report(s: StatusMessage): void {
    this.reported.push(s);
    this.publish('status', encodeJson(s), false);
    this.emit('status', s);
  }

  private publishState(): void {
    const f = this.flash;
    const s: StateMessage = { app: f.app, seq: f.installedSeq, slot: f.active, port: this.opts.port, mpy: this.opts.mpy, mem: 40000, flash: 1_000_000 - f.used() };
    if (this.opts.tags.length) s.tags = this.opts.tags;
    if (f.last) s.last = f.last;
    this.publish('state', encodeJson(s), true);
  }

  private publish(leaf: 'online' | 'state' | 'status' | 'get', payload: Buffer, retain: boolean, qos: 0 | 1 = 1): void {
    this.cc?.client.publish(this.topics.device(this.id, leaf), payload, { qos, retain });
  }

  private byHash(files: Map<string, Buffer>): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (const d of files.values()) out.set(createHash('sha256').update(d).digest('hex'), d);
    return out;
  }
}
