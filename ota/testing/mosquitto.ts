// A private mosquitto for tests and benchmarks: its own config and port,
// never the system service. Restartable on the same port, to test what the
// fleet does when its broker goes away and comes back empty (no persistence).
// On request it wants a password and has a TLS listener too, with a
// throwaway CA made by openssl in its own temp folder (tls-test-kit).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeTestCerts } from '../../runtime/sim/node/net/tls-test-kit.js';

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.MOSQUITTO_PASSWD_BIN ?? '/usr/bin/mosquitto_passwd';

export interface MosquittoOptions {
  /** Only these users (name -> password) get in; without it anyone does. */
  users?: Record<string, string>;
  /** Also listen with TLS (on tlsPort), with a server certificate for 127.0.0.1 and localhost signed by a fresh CA (caFile). */
  tls?: boolean;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export function mosquittoAvailable(): boolean {
  return fs.existsSync(MOSQUITTO);
}

export class Mosquitto {
  private proc: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly conf: string,
    private readonly dir: string,
    /** The TLS listener's port (with `tls`). */
    readonly tlsPort = 0,
    /** The PEM file of the CA that signed the TLS listener's certificate (with `tls`). */
    readonly caFile = '',
  ) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** mqtts:// on the TLS listener (with `tls`). */
  get tlsUrl(): string {
    return `mqtts://127.0.0.1:${this.tlsPort}`;
  }

  static async start(opts: MosquittoOptions = {}): Promise<Mosquitto> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-mosquitto-'));
    const port = await freePort();
    const conf = path.join(dir, 'mosquitto.conf');
    const auth = opts.users ? await passwordFile(dir, opts.users) : null;
    const tlsPort = opts.tls ? await freePort() : 0;
    const certs = opts.tls ? makeTestCerts(dir) : null;
    fs.writeFileSync(conf, [
      `listener ${port} 127.0.0.1`,
      ...(certs
        ? [`listener ${tlsPort} 127.0.0.1`, `cafile ${certs.caFile}`, `certfile ${certs.serverCertFile}`, `keyfile ${certs.serverKeyFile}`]
        : []),
      ...(auth ? ['allow_anonymous false', `password_file ${auth}`] : ['allow_anonymous true']),
      'persistence false',
      // Load tests queue many QoS 1 messages per client; the default (1000) would drop some.
      'max_queued_messages 100000',
      'max_inflight_messages 0',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      // "running" (what launch() waits for) is logged at the information level.
      'log_type information',
      // As root, mosquitto would switch to user "mosquitto"; stay who we are.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      '',
    ].join('\n'));
    const m = new Mosquitto(port, conf, dir, tlsPort, certs?.caFile);
    await m.launch();
    return m;
  }

  private launch(): Promise<void> {
    const proc = spawn(MOSQUITTO, ['-c', this.conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    return new Promise((resolve, reject) => {
      let err = '';
      const onData = (b: Buffer) => {
        err += b.toString();
        if (/running/.test(err)) {
          proc.stderr!.off('data', onData);
          proc.stderr!.resume();
          resolve();
        }
      };
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`mosquitto exited (${code}) before it was ready: ${err.trim()}`)));
      proc.once('error', reject);
    });
  }

  /** Stops the broker (every client sees its connection drop) and resolves when the process is gone. */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  }

  /** Stops and starts again on the same port, with nothing retained. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async close(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd }, (err, _out, stderr) => (err ? reject(new Error(`${path.basename(cmd)} failed: ${stderr || err.message}`)) : resolve())),
  );
}

async function passwordFile(dir: string, users: Record<string, string>): Promise<string> {
  const file = path.join(dir, 'passwd');
  fs.writeFileSync(file, '', { mode: 0o600 });
  for (const [user, password] of Object.entries(users)) await run(MOSQUITTO_PASSWD, ['-b', file, user, password], dir);
  return file;
}
