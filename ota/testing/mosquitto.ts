// A private mosquitto for tests and benchmarks: its own config and port,
// never the system service. Restartable on the same port, to test what the
// fleet does when its broker goes away and comes back empty (no persistence).

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

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
  private constructor(readonly port: number, private readonly conf: string, private readonly dir: string) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<Mosquitto> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-mosquitto-'));
    const port = await freePort();
    const conf = path.join(dir, 'mosquitto.conf');
    fs.writeFileSync(conf, [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
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
    const m = new Mosquitto(port, conf, dir);
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
