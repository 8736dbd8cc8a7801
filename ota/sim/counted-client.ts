// An MQTT client whose every TCP byte and packet is counted, across
// reconnects: the benchmark's "bytes per device" are bytes on the wire, not
// payload sizes. Plain TCP only (simulated devices talk to a local broker).

import * as net from 'node:net';
import { MqttClient, type IClientOptions } from 'mqtt';

export interface WireCounts {
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
}

export class CountedClient {
  readonly client: MqttClient;
  private readonly sockets: net.Socket[] = [];
  private packets = { rx: 0, tx: 0 };
  lastError: Error | null = null;

  constructor(url: string, opts: IClientOptions) {
    const u = new URL(url);
    if (u.protocol !== 'mqtt:' && u.protocol !== 'tcp:') throw new Error(`simulated devices speak plain mqtt://, not ${u.protocol}`);
    this.client = new MqttClient(() => {
      const s = net.connect(Number(u.port || 1883), u.hostname);
      s.setNoDelay(true);
      // Closed sockets keep their counters; keep the list short by folding them in.
      this.sockets.push(s);
      return s;
    }, { ...opts, protocol: 'mqtt' });
    // Connection errors end in a reconnect (mqtt.js); without a listener they would crash the process.
    this.client.on('error', (e) => (this.lastError = e));
    this.client.on('packetreceive', () => this.packets.rx++);
    this.client.on('packetsend', () => this.packets.tx++);
  }

  counts(): WireCounts {
    let rx = 0;
    let tx = 0;
    for (const s of this.sockets) {
      rx += s.bytesRead;
      tx += s.bytesWritten;
    }
    return { rxBytes: rx, txBytes: tx, rxPackets: this.packets.rx, txPackets: this.packets.tx };
  }

  /** Drops the connection without DISCONNECT, as a power cut does (the broker publishes the will). */
  cut(): void {
    for (const s of this.sockets) s.destroy();
    this.client.end(true);
  }
}
