// "Test connection" for an external broker: one MQTT connect with the given
// settings, no retries, and the failure told as what to fix (wrong password,
// untrusted certificate, nothing listening...) rather than mqtt.js's words.

import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import type { BrokerEndpoint } from '../../../ota/server/broker/broker-config.js';
import { clientOptions } from '../../../ota/server/broker/broker-link.js';

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);

/** Resolves once the broker accepted a connection with these settings; rejects with what is wrong. */
export function probeBroker(ep: BrokerEndpoint, timeoutMs = 8000): Promise<void> {
  const where = new URL(ep.url).host;
  const client = mqtt.connect(ep.url, {
    ...clientOptions(ep, `mote-probe-${randomBytes(4).toString('hex')}`),
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
  });
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no answer from ${where} within ${timeoutMs / 1000} s (a firewall, or not an MQTT port?)`)), timeoutMs);
    const done = (e?: Error) => {
      clearTimeout(timer);
      client.removeAllListeners();
      // Errors after the verdict (the socket closing) have nobody to tell.
      client.on('error', () => undefined);
      client.end(true);
      if (e) reject(e);
      else resolve();
    };
    client.once('connect', () => done());
    client.on('error', (e) => done(explain(e as NodeJS.ErrnoException & { code?: string | number }, ep, where)));
    client.once('close', () => done(new Error(`${where} closed the connection before accepting it (a TLS port spoken to without TLS, or a client certificate required?)`)));
  });
}

function explain(e: Error & { code?: string | number }, ep: BrokerEndpoint, where: string): Error {
  const code = e.code;
  // MQTT 3.1.1 CONNACK 4 (bad user name or password) and 5 (not authorized).
  if (code === 4 || code === 5) {
    return new Error(ep.username ? `the broker refused user "${ep.username}": wrong user name or password` : 'the broker requires a user name and password');
  }
  if (typeof code === 'number') return new Error(`the broker refused the connection (${e.message})`);
  if (code === 'ECONNREFUSED') return new Error(`nothing accepts connections at ${where}: is the broker running, and is the port right?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Error(`the host name in ${where} was not found`);
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new Error(`${where} cannot be reached from this computer (${code})`);
  if (code && UNTRUSTED.has(code)) {
    return new Error(`the broker's TLS certificate is not trusted (${e.message}): give the CA file that signed it, or, for a lab broker only, accept self-signed certificates`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new Error(`the broker's TLS certificate is not for this host name: ${e.message}`);
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return new Error(`the broker's TLS certificate is not valid now (${e.message})`);
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /SSL|TLS/i.test(String(code))) {
    return new Error(`the TLS handshake with ${where} failed (is it a TLS port? does it want a client certificate?): ${e.message}`);
  }
  if (code === 'ECONNRESET') return new Error(`${where} dropped the connection (a TLS port spoken to without TLS, or the other way round?)`);
  return new Error(`cannot connect to ${where}: ${e.message}`);
}
