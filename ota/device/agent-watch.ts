// Watches boards running the real agent from the broker, as a test sees them:
// each board's status reports and, with `trace` in its config, the named
// steps it passes (ota/device/agent-board.ts). Waiting is on messages, never
// on sleeps.

import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { parseStatus, type StatusMessage } from '../common/messages.js';
import { connectClient, whenConnected } from '../server/broker/broker-link.js';
import { waitFor } from '../testing/wait-for.js';

export class AgentWatch extends EventEmitter {
  readonly traces = new Map<string, string[]>();
  readonly statuses = new Map<string, StatusMessage[]>();
  private constructor(private readonly client: MqttClient, private readonly prefix: string) {
    super();
    this.setMaxListeners(0); // one waiter per board
  }

  static async start(url: string, prefix: string): Promise<AgentWatch> {
    const client = connectClient({ url }, `agent-watch-${process.pid}-${Date.now()}`);
    const w = new AgentWatch(client, prefix);
    client.on('message', (topic, payload) => w.onMessage(topic, payload));
    await whenConnected(client);
    await client.subscribeAsync([`${prefix}/dev/+/trace`, `${prefix}/dev/+/status`], { qos: 1 });
    return w;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const [id, leaf] = topic.slice(this.prefix.length + 5).split('/');
    if (leaf === 'trace') push(this.traces, id, payload.toString('utf8'));
    else if (leaf === 'status') {
      try {
        push(this.statuses, id, parseStatus(payload));
      } catch (e) {
        push(this.traces, id, `bad status: ${(e as Error).message}`);
      }
    }
    this.emit('change');
  }

  steps(id: string): string[] {
    return (this.statuses.get(id) ?? []).map((s) => s.st);
  }

  until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
    return waitFor(what, cond, [(cb) => (this.on('change', cb), () => this.off('change', cb))], timeoutMs);
  }

  untilTrace(id: string, step: string, timeoutMs?: number): Promise<void> {
    return this.until(`${id} at ${step}`, () => this.traces.get(id)?.includes(step) ?? false, timeoutMs);
  }

  untilStatus(id: string, st: string, timeoutMs?: number): Promise<void> {
    return this.until(`${id} ${st}`, () => this.steps(id).includes(st), timeoutMs);
  }

  /** Forgets what was seen, so a test can wait for the next occurrence. */
  clear(id: string): void {
    this.traces.delete(id);
    this.statuses.delete(id);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
