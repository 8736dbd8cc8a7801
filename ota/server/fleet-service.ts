// The fleet service: registry, releases, block server and rollout engine
// around one MQTT connection. This is the object the IDE back end (and the
// tests and benchmarks) hold; it owns nothing UI-specific.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { MqttClient } from 'mqtt';
import { FleetTopics } from '../common/topics.js';
import { BlockServer } from './blocks/block-server.js';
import { blockRequestFilter } from './blocks/block-node.js';
import { checkBrokerUrl, type BrokerConfig, type BrokerEndpoint } from './broker/broker-config.js';
import { connectClient, openBroker, whenConnected, type BrokerHandle } from './broker/broker-link.js';
import { FleetInbox, INBOX_SUBSCRIPTIONS } from './inbox/fleet-inbox.js';
import { AuditLog } from './registry/audit-log.js';
import { DeviceKeys } from './registry/device-keys.js';
import { DeviceRegistry } from './registry/device-registry.js';
import { openFleetDb, type Db } from './registry/fleet-db.js';
import { ReleaseStore } from './registry/release-store.js';
import { RolloutStore, type RolloutPolicy, type RolloutRecord } from './registry/rollout-store.js';
import { BlobStore } from './releases/blob-store.js';
import { ReleaseBuilder, type ReleaseOptions } from './releases/release-builder.js';
import { SigningKey } from './releases/signing-key.js';
import { DesiredPublisher } from './rollout/desired-publisher.js';
import { RolloutEngine } from './rollout/rollout-engine.js';

export interface FleetServiceOptions {
  /** Holds fleet.db, blobs/, device-keys/ and (unless keyFile says otherwise) keys/ota-ed25519.pem. */
  dataDir: string;
  broker: BrokerConfig;
  /** Topic prefix of this fleet, e.g. "mote/fleet". */
  prefix?: string;
  keyFile?: string;
  /**
   * Serve block requests through an MQTT shared subscription of this group,
   * so BlockNode processes in the same group share the load.
   */
  blockShareGroup?: string;
}

export class FleetService {
  readonly topics: FleetTopics;
  readonly devices: DeviceRegistry;
  readonly releases: ReleaseStore;
  readonly rollouts: RolloutStore;
  readonly audit: AuditLog;
  readonly blocks: BlockServer;
  readonly engine: RolloutEngine;
  /** Per-device HMAC keys of devices provisioned with one (their desired messages carry `m`). */
  readonly deviceKeys: DeviceKeys;
  private readonly builder: ReleaseBuilder;
  private readonly publisher: DesiredPublisher;
  private readonly inbox: FleetInbox;
  /** The last connection error from the broker, for display (no credentials in it). */
  lastBrokerError: string | null = null;

  private constructor(
    private readonly db: Db,
    private readonly broker: BrokerHandle,
    private readonly client: MqttClient,
    readonly key: SigningKey,
    blobs: BlobStore,
    prefix: string,
    dataDir: string,
  ) {
    this.topics = new FleetTopics(prefix);
    this.devices = new DeviceRegistry(db);
    this.releases = new ReleaseStore(db);
    this.rollouts = new RolloutStore(db);
    this.audit = new AuditLog(db);
    this.builder = new ReleaseBuilder(this.releases, blobs, key);
    this.blocks = new BlockServer(client, this.topics, blobs);
    this.deviceKeys = DeviceKeys.inFleetDir(dataDir);
    this.publisher = new DesiredPublisher(client, this.topics, () => this.engine.notifyRate(), (id) => this.deviceKeys.get(id));
    this.engine = new RolloutEngine(this.rollouts, this.releases, this.devices, this.audit, this.publisher);
    this.inbox = new FleetInbox(this.topics, this.devices, this.engine, this.blocks);
  }

  static async start(opts: FleetServiceOptions): Promise<FleetService> {
    const prefix = opts.prefix ?? 'mote/fleet';
    // Validate before anything is opened or created.
    const blockFilter = blockRequestFilter(new FleetTopics(prefix), opts.blockShareGroup);
    if (opts.broker.kind === 'external') checkBrokerUrl(opts.broker.url);
    const db = openFleetDb(path.join(opts.dataDir, 'fleet.db'));
    const key = SigningKey.loadOrCreate(opts.keyFile ?? path.join(opts.dataDir, 'keys', 'ota-ed25519.pem'));
    const blobs = new BlobStore(path.join(opts.dataDir, 'blobs'));
    // The IDE retries a start whose port was taken: each failed try must give its database back.
    const broker = await openBroker(opts.broker).catch((e: Error) => {
      db.close();
      throw e;
    });
    const client = connectClient(broker.endpoint, `mote-fleet-${randomBytes(4).toString('hex')}`);
    const svc = new FleetService(db, broker, client, key, blobs, prefix, opts.dataDir);
    client.on('message', (topic, payload) => svc.inbox.handle(topic, payload));
    // Errors are followed by mqtt.js reconnecting; kept for the dashboard rather than thrown.
    client.on('error', (e) => (svc.lastBrokerError = e.message));
    // Every (re)connect: the broker may be a fresh process that forgot subscriptions and retained messages.
    client.on('connect', () => {
      const filters = Object.fromEntries(INBOX_SUBSCRIPTIONS.map((s) => [s.leaf === 'get' ? blockFilter : svc.topics.all(s.leaf), { qos: s.qos }]));
      client.subscribe(filters, (err) => {
        if (!err) svc.engine.reconcile();
      });
    });
    try {
      await whenConnected(client);
    } catch (e) {
      client.end(true);
      await broker.close();
      db.close();
      throw e;
    }
    svc.audit.append('service.started', { prefix });
    return svc;
  }

  /** How devices and simulators reach this fleet's broker. */
  get endpoint(): BrokerEndpoint {
    return this.broker.endpoint;
  }

  buildRelease(folder: string, opts: ReleaseOptions = {}) {
    return this.builder.fromFolder(folder, opts).then((r) => {
      this.audit.append('release.created', { seq: r.seq, app: r.manifest.app, files: r.manifest.files.length, source: r.source });
      return r;
    });
  }

  startRollout(seq: number, group: string, policy: Partial<RolloutPolicy> = {}): RolloutRecord {
    return this.engine.start(seq, group, policy);
  }

  rollback(rolloutId: number, policy: Partial<RolloutPolicy> = {}): RolloutRecord {
    return this.engine.rollback(rolloutId, (seq) => {
      const r = this.builder.rollbackOf(seq);
      this.audit.append('release.created', { seq: r.seq, app: r.manifest.app, files: r.manifest.files.length, source: r.source });
      return r;
    }, policy);
  }

  onDeviceChanged(cb: (id: string) => void): () => void {
    return this.inbox.onDeviceChanged(cb);
  }

  /** Stops the service (and the embedded broker). Rollouts stay in the database and continue at the next start. */
  async close(): Promise<void> {
    this.publisher.close();
    await new Promise<void>((resolve) => this.client.end(false, {}, () => resolve()));
    await this.broker.close();
    this.db.close();
  }
}
