// The fleet service's own MQTT connection. MQTT 3.1.1 so any broker works;
// reconnects forever, and the caller re-establishes what it needs on every
// 'connect' (subscriptions are renewed by mqtt.js; retained desired messages
// by the fleet service).

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { BrokerConfig, BrokerEndpoint } from './broker-config.js';
import { checkBrokerUrl } from './broker-config.js';
import { EmbeddedBroker } from './embedded-broker.js';

export function clientOptions(ep: BrokerEndpoint, clientId: string): IClientOptions {
  return {
    clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    reconnectPeriod: 500,
    connectTimeout: 10_000,
    username: ep.username,
    password: ep.password,
    ca: ep.ca,
    cert: ep.cert,
    key: ep.key,
    rejectUnauthorized: ep.rejectUnauthorized ?? true,
  };
}

export function connectClient(ep: BrokerEndpoint, clientId: string, extra: Partial<IClientOptions> = {}): MqttClient {
  checkBrokerUrl(ep.url);
  return mqtt.connect(ep.url, { ...clientOptions(ep, clientId), ...extra });
}

/** Resolves once `client` is connected, or rejects with the broker's reason (bad credentials, refused...). */
export function whenConnected(client: MqttClient, timeoutMs = 10_000): Promise<void> {
  if (client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`broker did not accept the connection within ${timeoutMs} ms`)), timeoutMs);
    const onConnect = () => done();
    const onError = (e: Error) => done(new Error(`broker refused the connection: ${e.message}`));
    const done = (e?: Error) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      if (e) reject(e);
      else resolve();
    };
    client.on('connect', onConnect);
    client.on('error', onError);
  });
}

/** A broker to talk to: started here when embedded, just an endpoint when external. */
export interface BrokerHandle {
  endpoint: BrokerEndpoint;
  /** Stops the embedded broker; nothing for an external one. */
  close(): Promise<void>;
}

export async function openBroker(cfg: BrokerConfig): Promise<BrokerHandle> {
  if (cfg.kind === 'embedded') {
    const b = await EmbeddedBroker.start(cfg);
    return { endpoint: b.endpoint, close: () => b.close() };
  }
  checkBrokerUrl(cfg.url);
  const { kind: _kind, ...endpoint } = cfg;
  return { endpoint, close: async () => {} };
}
