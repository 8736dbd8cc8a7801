// Tells devices which release to run, through their retained desired topic,
// at a bounded rate (a broker and a fleet's network both have limits, and a
// thousand devices starting the same second would all hit the block server at
// once). Each device additionally waits a random 0..jitter ms of its own.
// A device provisioned with its own HMAC key also gets `m`, the manifest's
// HMAC under that key, so the same release payload is completed per device.

import type { MqttClient } from 'mqtt';
import { manifestHmac } from '../../common/manifest-hmac.js';
import { encodeJson, type DesiredMessage } from '../../common/messages.js';
import type { FleetTopics } from '../../common/topics.js';
import type { ReleaseRecord } from '../registry/release-store.js';
import { sha256Hex } from '../../../runtime/node/sha256-hex.js';

/** A device's own HMAC key, or null for a device that checks the fleet signature only. */
export type DeviceKeyLookup = (deviceId: string) => Uint8Array | null;

/** A release's desired message as every device gets it, with the manifest text enqueue() computes a keyed device's `m` over. */
export interface DesiredPayload {
  message: DesiredMessage;
  text: string;
  bytes: Buffer;
}

interface Job {
  deviceId: string;
  payload: Buffer;
  group: number;
  onSent: () => void;
}

export class DesiredPublisher {
  private readonly queue = new Map<string, Job>();
  private tokens = 1;
  private last = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly client: MqttClient,
    private readonly topics: FleetTopics,
    private readonly perSecond: () => number,
    private readonly keyOf: DeviceKeyLookup = () => null,
  ) {}

  /** The desired message of `release` as every device gets it; enqueue() adds a keyed device's `m`. */
  static payload(release: ReleaseRecord, jitterMs: number): DesiredPayload {
    const text = Buffer.from(release.manifestText, 'utf8');
    const message: DesiredMessage = { seq: release.seq, h: sha256Hex(text), n: text.length, s: release.signature, j: jitterMs };
    return { message, text: release.manifestText, bytes: encodeJson(message) };
  }

  /** Queues `deviceId` to be told `payload` (from payload()); a later enqueue for the same device replaces the earlier one. `group` tags the job for `drop`. */
  enqueue(deviceId: string, payload: DesiredPayload, group: number, onSent: () => void): void {
    this.queue.delete(deviceId);
    this.queue.set(deviceId, { deviceId, payload: this.forDevice(deviceId, payload), group, onSent });
    this.pump();
  }

  private forDevice(deviceId: string, payload: DesiredPayload): Buffer {
    const key = this.keyOf(deviceId);
    if (!key) return payload.bytes;
    // `s` stays: it is public, a few dozen bytes, and keeps one message shape for every device.
    return encodeJson({ ...payload.message, m: manifestHmac(key, payload.text) });
  }

  /** Forgets queued jobs of `group` (a paused or canceled rollout). */
  drop(group: number): void {
    for (const [k, j] of this.queue) if (j.group === group) this.queue.delete(k);
  }

  /** Clears a device's desired release now (empty retained payload deletes the retained message). */
  clear(deviceId: string): void {
    this.queue.delete(deviceId);
    this.client.publish(this.topics.device(deviceId, 'desired'), Buffer.alloc(0), { qos: 1, retain: true });
  }

  get pending(): number {
    return this.queue.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.queue.clear();
  }

  private pump(): void {
    if (this.timer || this.closed) return;
    const rate = this.perSecond();
    const now = performance.now();
    // Burst of at most a tenth of a second's worth, so the rate holds over short windows too.
    this.tokens = Math.min(Math.max(1, rate / 10), this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    for (const [k, job] of this.queue) {
      if (this.tokens < 1) break;
      this.tokens -= 1;
      this.queue.delete(k);
      this.client.publish(this.topics.device(job.deviceId, 'desired'), job.payload, { qos: 1, retain: true }, (err) => {
        if (!err) job.onSent();
      });
    }
    if (this.queue.size > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, Math.max(1, ((1 - this.tokens) / rate) * 1000));
    }
  }
}
