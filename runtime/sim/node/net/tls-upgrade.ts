// TLS for the simulated board's `ssl` module: the host turns a board
// socket's open TCP connection into a TLS connection (Node's tls over the
// same socket), and the board goes on reading and writing plaintext through
// the same handle. Failures come back as MicroPython's mbedTLS ports raise
// them: a certificate that does not verify is a ValueError with mbedTLS's
// verify text (MicroPython >= 1.22), any other handshake failure an OSError
// with mbedTLS's negative error code and its message.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { TcpConnection } from './tcp-connection.js';

/** What the board's SSLContext asks for (ssl.py). */
export interface TlsRequest {
  /** server_hostname: checked against the certificate, and sent as SNI when it is a name. */
  hostname: string | null;
  /** CERT_NONE (0), CERT_OPTIONAL (1) or CERT_REQUIRED (2), as mbedTLS numbers them. */
  verifyMode: number;
  /** cadata: DER (one certificate) or PEM (one or more); none trusts nothing, as on a board. */
  ca: Buffer | null;
  /** load_cert_chain: the client's certificate and key (DER or PEM). */
  cert: Buffer | null;
  key: Buffer | null;
}

/** How a failed handshake shows on the board. */
export interface TlsFailure {
  /** ValueError (certificate verification) rather than OSError. */
  verify: boolean;
  /** The OSError's first argument: an mbedTLS code (negative) or the errno name of a socket error. */
  code: number | string;
  msg: string;
}

const CERT_REQUIRED = 2;

// mbedTLS's own texts for what a board shows (mbedtls_x509_crt_verify_info).
const NOT_TRUSTED = 'The certificate is not correctly signed by the trusted CA';
const VERIFY_TEXT: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: NOT_TRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: NOT_TRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: NOT_TRUSTED,
  SELF_SIGNED_CERT_IN_CHAIN: NOT_TRUSTED,
  DEPTH_ZERO_SELF_SIGNED_CERT: NOT_TRUSTED,
  CERT_SIGNATURE_FAILURE: NOT_TRUSTED,
  CERT_UNTRUSTED: NOT_TRUSTED,
  CERT_HAS_EXPIRED: 'The certificate validity has expired',
  CERT_NOT_YET_VALID: 'The certificate validity starts in the future',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The certificate Common Name (CN) does not match with the expected CN',
};

/** The certificate(s) in DER or PEM as PEM text, or null when they do not parse (the board says "invalid cert"). */
export function certPem(data: Buffer): string | null {
  const text = data.toString('latin1');
  try {
    if (text.includes('-----BEGIN ')) {
      const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      for (const b of blocks) new X509Certificate(b);
      return blocks.length ? blocks.join('\n') + '\n' : null;
    }
    return new X509Certificate(data).toString();
  } catch {
    return null;
  }
}

/** The private key in DER (PKCS#8, SEC1 or PKCS#1) or PEM as PEM text, or null ("invalid key"). */
export function keyPem(data: Buffer): string | null {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN ')) {
    try {
      return createPrivateKey(text).export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch {
      return null;
    }
  }
  for (const type of ['pkcs8', 'sec1', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: data, format: 'der', type }).export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch {
      // the next encoding
    }
  }
  return null;
}

/**
 * Wraps `conn`'s socket in TLS and waits (at most `waitMs`, through `wait`)
 * for the handshake. The new connection replaces `conn` under the same
 * handle; on failure the connection is destroyed, as a board's SSL error
 * leaves its socket unusable.
 */
export async function upgradeToTls(
  conn: TcpConnection,
  req: TlsRequest,
  wait: (signals: TcpConnection['signal'][], ready: () => boolean, ms: number) => Promise<boolean>,
  waitMs: number,
): Promise<{ conn: TcpConnection } | { failure: TlsFailure }> {
  if (conn.state !== 'open' || conn.error) return { failure: { verify: false, code: conn.error ?? 'ENOTCONN', msg: '' } };
  // Bytes the server sent before the handshake would be lost inside TLS; a
  // board's mbedTLS would read them as a broken record.
  if (conn.unread > 0) return fail(conn, -0x7200, 'SSL - An invalid SSL record was received');
  const raw = conn.detach();
  const ca = req.ca ? certPem(req.ca) : null;
  const host = req.hostname ?? undefined;
  const sock = tls.connect({
    socket: raw,
    // Node checks the certificate's names against `host`; SNI carries names only (RFC 6066).
    host,
    servername: host && !net.isIP(host) ? host : undefined,
    // A board trusts only the CA it was given: an empty list keeps Node's own roots out.
    ca: ca ? [ca] : [],
    cert: req.cert ? (certPem(req.cert) ?? undefined) : undefined,
    key: req.key ? (keyPem(req.key) ?? undefined) : undefined,
    rejectUnauthorized: req.verifyMode === CERT_REQUIRED,
    checkServerIdentity: req.verifyMode === CERT_REQUIRED && host ? tls.checkServerIdentity : () => undefined,
  });
  let failure: Error | null = null;
  sock.once('error', (e) => (failure ??= e));
  const next = new TcpConnection(sock, 'connecting', 'secureConnect');
  await wait([next.signal], () => next.state !== 'connecting' || failure !== null || sock.destroyed, waitMs);
  if (next.state === 'open' && !failure) return { conn: next };
  next.destroy();
  if (!failure) return { failure: { verify: false, code: sock.destroyed ? 'ECONNRESET' : 'ETIMEDOUT', msg: '' } };
  return { failure: boardFailure(failure as NodeJS.ErrnoException) };
}

function fail(conn: TcpConnection, code: number, msg: string): { failure: TlsFailure } {
  conn.destroy();
  return { failure: { verify: false, code, msg } };
}

/** A Node TLS error as the board's mbedTLS would report it. */
export function boardFailure(e: NodeJS.ErrnoException): TlsFailure {
  const code = e.code ?? '';
  const text = VERIFY_TEXT[code];
  if (text) return { verify: true, code: -0x2700, msg: text };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { verify: false, code: 'ECONNRESET', msg: '' };
  if (/socket disconnected|ECONNRESET/i.test(e.message)) return { verify: false, code: -0x7280, msg: 'SSL - The connection indicated an EOF' };
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD/i.test(code)) return { verify: false, code: -0x7200, msg: 'SSL - An invalid SSL record was received' };
  if (/UNEXPECTED_MESSAGE/i.test(code)) return { verify: false, code: -0x7700, msg: 'SSL - An unexpected message was received from our peer' };
  if (/ALERT/i.test(code)) return { verify: false, code: -0x7780, msg: 'SSL - A fatal alert message was received from our peer' };
  // No closer mbedTLS code: the reason as OpenSSL's short name (ERR_SSL_...).
  return { verify: false, code: -0x7080, msg: `SSL - The handshake failed (${code || e.message.split('\n')[0]})` };
}
