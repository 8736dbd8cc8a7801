// A block server on its own: for fleets too big for one process to serve
// blocks, run several of these (each with a copy of, or a shared mount of, the
// blob store) next to the fleet service. They all subscribe with one MQTT
// shared subscription, so the broker hands each request to exactly one of them.

import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { FleetTopics } from '../../common/topics.js';
import type { BrokerEndpoint } from '../broker/broker-config.js';
import { connectClient, whenConnected } from '../broker/broker-link.js';
import { BlobStore } from '../releases/blob-store.js';
import { BlockServer } from './block-server.js';

/** The subscription filter for block requests: shared among all block servers of `group` when given. */
export function blockRequestFilter(topics: FleetTopics, shareGroup?: string): string {
  if (shareGroup !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(shareGroup)) throw new Error(`invalid share group ${JSON.stringify(shareGroup)}: 1-32 of A-Z a-z 0-9 _ -`);
  return shareGroup ? `$share/${shareGroup}/${topics.all('get')}` : topics.all('get');
}

export class BlockNode {
  private constructor(private readonly client: MqttClient, readonly server: BlockServer) {}

  static async start(opts: { endpoint: BrokerEndpoint; prefix: string; blobDir: string; shareGroup: string }): Promise<BlockNode> {
    const topics = new FleetTopics(opts.prefix);
    const filter = blockRequestFilter(topics, opts.shareGroup);
    const client = connectClient(opts.endpoint, `mote-blocks-${randomBytes(4).toString('hex')}`);
    const server = new BlockServer(client, topics, new BlobStore(opts.blobDir));
    client.on('error', () => {}); // followed by a reconnect; requests meanwhile go to the other nodes
    client.on('message', (topic, payload) => {
      const t = topics.parse(topic);
      if (t?.leaf === 'get') server.handle(t.id, payload);
    });
    client.on('connect', () => client.subscribe(filter, { qos: 0 }));
    await whenConnected(client);
    return new BlockNode(client, server);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.client.end(false, {}, () => resolve()));
  }
}
