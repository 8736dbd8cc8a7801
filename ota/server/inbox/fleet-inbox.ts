// One dispatch point for everything devices publish: the topic's last level
// picks the handler. Bad payloads are counted and dropped; a device (or anyone
// on the broker) cannot make the service throw.

import { parseState, parseStatus } from '../../common/messages.js';
import type { FleetTopics } from '../../common/topics.js';
import type { BlockServer } from '../blocks/block-server.js';
import type { DeviceRegistry } from '../registry/device-registry.js';
import type { RolloutEngine } from '../rollout/rollout-engine.js';
import { Listeners } from '../../../runtime/common/listeners.js';

export const INBOX_SUBSCRIPTIONS = [
  { leaf: 'state', qos: 1 },
  { leaf: 'online', qos: 1 },
  { leaf: 'status', qos: 1 },
  { leaf: 'get', qos: 0 },
] as const;

export class FleetInbox {
  malformed = 0;
  private readonly deviceListeners = new Listeners<[string]>();

  constructor(
    private readonly topics: FleetTopics,
    private readonly registry: DeviceRegistry,
    private readonly engine: RolloutEngine,
    private readonly blocks: BlockServer,
  ) {}

  onDeviceChanged(cb: (id: string) => void): () => void {
    return this.deviceListeners.add(cb);
  }

  handle(topic: string, payload: Buffer): void {
    const t = this.topics.parse(topic);
    if (!t) return;
    try {
      switch (t.leaf) {
        case 'get':
          this.blocks.handle(t.id, payload);
          return;
        case 'state': {
          if (payload.length === 0) return; // a cleared retained state: nothing to learn
          const s = parseState(payload);
          this.registry.recordState(t.id, s);
          this.engine.onState(t.id, s);
          break;
        }
        case 'online':
          this.registry.recordOnline(t.id, payload.toString() === '1');
          break;
        case 'status':
          this.engine.onStatus(t.id, parseStatus(payload));
          break;
        default:
          return; // desired and blk are the service's own messages
      }
      this.deviceListeners.emit(t.id);
    } catch {
      this.malformed++;
    }
  }
}
