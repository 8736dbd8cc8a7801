// Where the fleet's MQTT broker is: the embedded one (aedes, started with the
// app) or any external MQTT 3.1.1 broker by URL.

export interface EmbeddedBrokerConfig {
  kind: 'embedded';
  /** TCP port on 127.0.0.1 unless `host` says otherwise; 0 picks a free one. */
  port?: number;
  host?: string;
  /** When set, clients must present these credentials. */
  username?: string;
  password?: string;
  /**
   * The fleet prefix, to let each board log in as itself (needs `username`):
   * user = its device id = its client id, password = deviceBrokerPassword(password, id),
   * confined to `<devicePrefix>/dev/<id>/...`. The configured user keeps full access.
   */
  devicePrefix?: string;
}

/** An external broker: how to reach it is exactly a client's endpoint. */
export interface ExternalBrokerConfig extends BrokerEndpoint {
  kind: 'external';
}

export type BrokerConfig = EmbeddedBrokerConfig | ExternalBrokerConfig;

/** How a client reaches a running broker: enough for mqtt.connect. Never logged (holds the password). */
export interface BrokerEndpoint {
  /** mqtt://host:1883 or mqtts://host:8883 (ws:// and wss:// work too). */
  url: string;
  username?: string;
  password?: string;
  /** PEM text: CA bundle to trust, and a client certificate and key for mutual TLS. */
  ca?: string;
  cert?: string;
  key?: string;
  /** Defaults to true; turning it off is for a lab broker with a self-signed certificate only. */
  rejectUnauthorized?: boolean;
}

export function checkBrokerUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`broker URL ${JSON.stringify(url)} is not a URL (e.g. mqtt://broker.local:1883)`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'tls:'].includes(u.protocol)) {
    throw new Error(`broker URL scheme ${u.protocol} unsupported: use mqtt://, mqtts://, ws:// or wss://`);
  }
  if (u.username || u.password) throw new Error('put broker credentials in username/password, not in the URL (URLs end up in logs)');
  return u;
}
