// Throwaway certificates for the TLS tests, made by openssl at test time: a
// CA, a server certificate it signed (for 127.0.0.1 and localhost), and a
// second, unrelated CA that must not be trusted for that server. The one
// maker of test certificates: the test broker (ota/testing/mosquitto.ts) uses
// it too. P-256 keys, so it takes milliseconds.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCerts {
  dir: string;
  /** Where the CA, the server certificate and its key are, as PEM files (for programs that take paths). */
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  caPem: string;
  /** The CA in DER, as a board's load_verify_locations(cadata=...) takes it. */
  caDer: Buffer;
  otherCaDer: Buffer;
  serverCert: string;
  serverKey: string;
  /** A client certificate the CA signed, and its key, both DER (for load_cert_chain). */
  clientCertDer: Buffer;
  clientKeyDer: Buffer;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes the certificates in `dir` (a new temp folder by default; the caller removes it). */
export function makeTestCerts(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-tls-'))): TestCerts {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const der = (pem: string) => ssl('x509', '-in', pem, '-outform', 'DER');
  for (const ca of ['ca', 'other'])
    ssl('req', '-x509', ...EC, '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=Mote ${ca} test CA`);
  ssl('req', ...EC, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '1', '-days', '1', '-extfile', 'san.ext', '-out', 'server.pem');
  ssl('req', ...EC, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=mote-board');
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '1', '-out', 'client.pem');
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    caFile: file('ca.pem'),
    serverCertFile: file('server.pem'),
    serverKeyFile: file('server.key'),
    caPem: fs.readFileSync(file('ca.pem'), 'utf8'),
    caDer: der('ca.pem'),
    otherCaDer: der('other.pem'),
    serverCert: fs.readFileSync(file('server.pem'), 'utf8'),
    serverKey: fs.readFileSync(file('server.key'), 'utf8'),
    clientCertDer: der('client.pem'),
    clientKeyDer: ssl('pkey', '-in', 'client.key', '-outform', 'DER'),
  };
}
