// Throwaway certificates for the TLS tests, made by openssl at test time: a
// CA, a server certificate it signed (for 127.0.0.1 and localhost), and a
// second, unrelated CA that must not be trusted for that server.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCerts {
  dir: string;
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

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const der = (pem: string) => ssl('x509', '-in', pem, '-outform', 'DER');
  for (const ca of ['ca', 'other'])
    ssl('req', '-x509', ...EC, '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=Mote ${ca} test CA`);
  ssl('req', ...EC, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '1', '-days', '1', '-extfile', 'san.ext', '-out', 'server.pem');
  ssl('req', ...EC, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=mote-board');
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '1', '-out', 'client.pem');
  return {
    dir,
    caPem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    caDer: der('ca.pem'),
    otherCaDer: der('other.pem'),
    serverCert: fs.readFileSync(path.join(dir, 'server.pem'), 'utf8'),
    serverKey: fs.readFileSync(path.join(dir, 'server.key'), 'utf8'),
    clientCertDer: der('client.pem'),
    clientKeyDer: ssl('pkey', '-in', 'client.key', '-outform', 'DER'),
  };
}
