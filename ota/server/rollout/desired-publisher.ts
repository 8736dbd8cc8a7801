// Tells devices which release to run, through their retained desired topic,
// at a bounded rate (a broker and a fleet's network both have limits, and a
// thousand devices starting the same second would all hit the block server at
// once). Each device additionally waits a random 0..jitter ms of its own.

import { createHash } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { encodeJson, type DesiredMessage } from '../../common/messages.js';
import type { FleetTopics } from '../../common/topics.js';
import type { ReleaseRecord } from '../registry/release-store.js';

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

  constructor(private readonly client: MqttClient, private readonly topics: FleetTopics, private readonly perSecond: () => number) {}

  static payload(release: ReleaseRecord, jitterMs: number): Buffer {
    const text = Buffer.from(release.manifestText, 'utf8');
    const m: DesiredMessage = { seq: release.seq, h: createHash('sha256').update(text).digest('hex'), n: text.length, s: release.signature, j: jitterMs };
    return encodeJson(m);
  }

  /** Queues `deviceId` to be told `payload`; a later enqueue for the same device replaces the earlier one. `group` tags the job for `drop`. */
  enqueue(deviceId: string, payload: Buffer, group: number, onSent: () => void): void {
    this.queue.delete(deviceId);
    this.queue.set(deviceId, { deviceId, payload, group, onSent });
    this.pump();
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
