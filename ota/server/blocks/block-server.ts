// Serves file blocks to devices: a request names a file by SHA-256, an offset,
// a block size and a count; each block goes back as its own QoS 0 message on
// the device's blk topic. QoS 0 because the device re-requests whatever does
// not arrive, and a PUBACK per block would double the message count.

import type { MqttClient } from 'mqtt';
import { BlockFlag, decodeRequest, encodeReply, type BlockRequest } from '../../common/block-codec.js';
import type { FleetTopics } from '../../common/topics.js';
import type { BlobStore } from '../releases/blob-store.js';

export interface BlockServerStats {
  requests: number;
  blocks: number;
  bytes: number;
  badRequests: number;
  /** Bytes served per file SHA-256: which files actually travelled. */
  bySha: Map<string, number>;
}

export class BlockServer {
  readonly stats: BlockServerStats = { requests: 0, blocks: 0, bytes: 0, badRequests: 0, bySha: new Map() };

  constructor(private readonly client: MqttClient, private readonly topics: FleetTopics, private readonly blobs: BlobStore) {}

  /** Handles one message from `<prefix>/dev/<id>/get`. */
  handle(deviceId: string, payload: Buffer): void {
    let req: BlockRequest;
    try {
      req = decodeRequest(payload);
    } catch {
      // Malformed requests are dropped: answering garbage would let anyone make the service publish.
      this.stats.badRequests++;
      return;
    }
    this.stats.requests++;
    const sha = Buffer.from(req.sha256).toString('hex');
    const tag = req.sha256.subarray(0, 8);
    const topic = this.topics.device(deviceId, 'blk');
    const blob = this.blobs.get(sha);
    if (!blob) {
      this.client.publish(topic, encodeReply({ flag: BlockFlag.NotFound, tag, offset: req.offset, data: new Uint8Array(0) }), { qos: 0 });
      return;
    }
    if (req.offset >= blob.length && !(blob.length === 0 && req.offset === 0)) {
      this.client.publish(topic, encodeReply({ flag: BlockFlag.BadOffset, tag, offset: req.offset, data: new Uint8Array(0) }), { qos: 0 });
      return;
    }
    for (let i = 0, off = req.offset; i < req.count && off < blob.length; i++, off += req.blockSize) {
      const data = blob.subarray(off, Math.min(blob.length, off + req.blockSize));
      this.client.publish(topic, encodeReply({ flag: BlockFlag.Data, tag, offset: off, data }), { qos: 0 });
      this.stats.blocks++;
      this.stats.bytes += data.length;
      this.stats.bySha.set(sha, (this.stats.bySha.get(sha) ?? 0) + data.length);
    }
  }
}
