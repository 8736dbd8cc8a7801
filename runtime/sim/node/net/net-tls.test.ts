// The simulated board's `ssl` module against a real Node TLS server with a
// throwaway CA: what a board program sees (plaintext through the wrapped
// socket, MicroPython's errors when the certificate does not verify).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestBoard, type TestBoard } from '../sim-test-kit.js';
import { JOIN_WIFI, startServer, type TestServer } from './net-test-kit.js';
import { makeTestCerts, type TestCerts } from './tls-test-kit.js';

let tb: TestBoard;
let certs: TestCerts;
let server: tls.Server;
let port = 0;
let plain: TestServer;
/** Handshakes the server completed. */
let secured = 0;

beforeAll(async () => {
  certs = makeTestCerts();
  server = tls.createServer({ cert: certs.serverCert, key: certs.serverKey }, (s) => {
    secured++;
    s.on('error', () => undefined);
    s.pipe(s);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  plain = await startServer((s) => s.pipe(s));
  tb = await startTestBoard();
}, 30_000);

afterAll(async () => {
  await tb?.close();
  await new Promise<void>((r) => server.close(() => r()));
  await plain?.close();
  fs.rmSync(certs.dir, { recursive: true, force: true });
});

const hex = (b: Buffer) => b.toString('hex');
// Connects, wraps with `wrap` (Python using ssl and s), sends a line and prints what comes back.
const echoOver = (wrap: string, to = port) => `${JOIN_WIFI}
import ssl, binascii
s = socket.socket()
s.connect(('127.0.0.1', ${to}))
t = time.ticks_ms()
try:
${wrap.replace(/^/gm, '    ')}
    ms = time.ticks_diff(time.ticks_ms(), t)
    s.write(b'hello over tls\\n')
    print('echo', s.readline(), ms)
    s.close()
except Exception as e:
    print('error', type(e).__name__, repr(e.args))
`;

it('with the right CA (DER) the handshake verifies the server and plaintext echoes through the same socket', async () => {
  const before = secured;
  const r = await tb.exec(echoOver(`ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
print('default verify', ctx.verify_mode == ssl.CERT_REQUIRED)
ctx.load_verify_locations(cadata=binascii.unhexlify('${hex(certs.caDer)}'))
s = ctx.wrap_socket(s, server_hostname='localhost')`), 30_000);
  expect(r.err).toBe('');
  expect(r.out).toContain('default verify True');
  expect(r.out).toMatch(/echo b'hello over tls\\n' \d+/);
  expect(secured).toBe(before + 1);
  console.log(`TLS handshake on the simulated board (P-256 CA): ${/echo .* (\d+)/.exec(r.out)![1]} ms`);
}, 60_000);

it('with the wrong CA the handshake fails as on a board: ValueError with the reason, and nothing is sent', async () => {
  const before = secured;
  const r = await tb.exec(echoOver(`ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cadata=binascii.unhexlify('${hex(certs.otherCaDer)}'))
s = ctx.wrap_socket(s, server_hostname='localhost')`), 30_000);
  expect(r.err).toBe('');
  expect(r.out).toContain("error ValueError ('The certificate is not correctly signed by the trusted CA',)");
  expect(secured).toBe(before);
}, 60_000);

it('a name the certificate does not carry fails too, and CERT_REQUIRED wants a server_hostname', async () => {
  const r = await tb.exec(echoOver(`ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cadata=binascii.unhexlify('${hex(certs.caDer)}'))
try:
    ctx.wrap_socket(s)
except ValueError as e:
    print('no name:', e)
s = ctx.wrap_socket(s, server_hostname='broker.example')`), 30_000);
  expect(r.out).toContain('no name: CERT_REQUIRED requires server_hostname');
  expect(r.out).toContain("error ValueError ('The certificate Common Name (CN) does not match with the expected CN',)");
}, 60_000);

it('CERT_NONE connects without a CA, and the legacy ssl.wrap_socket (via ussl) checks when cert_reqs asks', async () => {
  const none = await tb.exec(echoOver(`ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(s)`), 30_000);
  expect(none.out).toMatch(/echo b'hello over tls\\n'/);
  const legacy = await tb.exec(echoOver(`import ussl
s = ussl.wrap_socket(s, server_hostname='127.0.0.1', cert_reqs=ussl.CERT_REQUIRED, cadata=binascii.unhexlify('${hex(certs.caDer)}'))`), 30_000);
  expect(legacy.out).toMatch(/echo b'hello over tls\\n'/);
  const wrong = await tb.exec(echoOver(`s = ssl.wrap_socket(s, server_hostname='127.0.0.1', cert_reqs=ssl.CERT_REQUIRED, cadata=binascii.unhexlify('${hex(certs.otherCaDer)}'))`), 30_000);
  expect(wrong.out).toContain('error ValueError');
}, 90_000);

it('a server that does not speak TLS gives an OSError with mbedTLS code and text; a bad CA is refused when loaded', async () => {
  // The plain echo server sends the board's own ClientHello back.
  const r = await tb.exec(echoOver(`ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(s)`, plain.port), 30_000);
  expect(r.out).toContain("error OSError (-30464, 'SSL - An unexpected message was received from our peer')");
  const bad = await tb.exec(`import ssl
try:
    ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=b'not a certificate')
except ValueError as e:
    print('load:', e)`, 30_000);
  expect(bad.out).toContain('load: invalid cert');
}, 60_000);

it('load_cert_chain presents a client certificate to a server that asks for one', async () => {
  const peers: string[] = [];
  const mutual = tls.createServer({ cert: certs.serverCert, key: certs.serverKey, ca: certs.caPem, requestCert: true, rejectUnauthorized: true }, (s) => {
    peers.push(String(s.getPeerCertificate().subject?.CN ?? ''));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  mutual.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => mutual.listen(0, '127.0.0.1', r));
  try {
    const r = await tb.exec(echoOver(`ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cadata=binascii.unhexlify('${hex(certs.caDer)}'))
ctx.load_cert_chain(binascii.unhexlify('${hex(certs.clientCertDer)}'), binascii.unhexlify('${hex(certs.clientKeyDer)}'))
s = ctx.wrap_socket(s, server_hostname='localhost')`, (mutual.address() as net.AddressInfo).port), 30_000);
    expect(r.out).toMatch(/echo b'hello over tls\\n'/);
    expect(peers).toEqual(['mote-board']);
  } finally {
    await new Promise<void>((r) => mutual.close(() => r()));
  }
}, 60_000);
