// Test fixture: real MicroPython firmware (1.9.2 for the BBC micro:bit, from
// Debian's firmware-microbit-micropython) booted on an emulated nRF51 by
// qemu-system-arm, its UART on a pty. Old firmware on purpose: no raw-paste,
// no json, no os.stat/ilistdir, a tiny input buffer, 9 KB of heap.
//
// qemu's monitor listens on a unix socket so a test can press RESET
// (system_reset), the way DTR/RTS reset a board on a USB-UART bridge.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const MICROBIT_FIRMWARE = '/usr/share/firmware-microbit-micropython/firmware.hex';
const QEMU = 'qemu-system-arm';

export interface QemuMicrobit {
  /** The board's serial port, e.g. /dev/pts/7. */
  ptyPath: string;
  /** Like pressing the board's RESET button: the CPU restarts, the flash filesystem stays. */
  hardReset(): Promise<void>;
  stop(): Promise<void>;
}

/** Why the fixture cannot run here, or null when it can. */
export function qemuMicrobitMissing(firmware = MICROBIT_FIRMWARE): string | null {
  const probe = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `${QEMU} is not installed (apt install qemu-system-arm)`;
  if (!fs.existsSync(firmware)) return `${firmware} is missing (apt install firmware-microbit-micropython)`;
  return null;
}

export async function startQemuMicrobit(opts: { firmware?: string; timeoutMs?: number } = {}): Promise<QemuMicrobit> {
  const firmware = opts.firmware ?? MICROBIT_FIRMWARE;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-qemu-'));
  const monitorPath = path.join(dir, 'monitor.sock');
  const child = spawn(
    QEMU,
    [
      '-M', 'microbit',
      '-display', 'none',
      '-monitor', `unix:${monitorPath},server=on,wait=off`,
      '-serial', 'pty',
      '-device', `loader,file=${firmware}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const ptyPath = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`qemu did not report its pty within ${opts.timeoutMs ?? 10000} ms: ${log.trim()}`)), opts.timeoutMs ?? 10000);
    const onOutput = (d: Buffer) => {
      log += d.toString();
      // "char device redirected to /dev/pts/3 (label serial0)"
      const m = /char device redirected to (\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.once('error', (e) => fail(new Error(`cannot start ${QEMU}: ${e.message}`)));
    child.once('exit', (code) => fail(new Error(`${QEMU} exited (${code}): ${log.trim()}`)));
  });

  return {
    ptyPath,
    hardReset: () => monitorCommand(monitorPath, 'system_reset'),
    stop: async () => {
      await stopProcess(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends one human-monitor command and waits for the monitor's next prompt. */
function monitorCommand(socketPath: string, command: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath);
    let seen = '';
    let sent = false;
    const timer = setTimeout(() => done(new Error(`qemu monitor did not answer ${command} within ${timeoutMs} ms: ${JSON.stringify(seen)}`)), timeoutMs);
    const done = (e?: Error) => {
      clearTimeout(timer);
      sock.destroy();
      if (e) reject(e);
      else resolve();
    };
    sock.on('data', (d) => {
      seen += d.toString('latin1');
      // The monitor greets with "(qemu) "; after the command it prints the prompt again.
      const prompts = seen.split('(qemu)').length - 1;
      if (!sent && prompts >= 1) {
        sent = true;
        sock.write(`${command}\n`);
      } else if (sent && prompts >= 2) done();
    });
    sock.on('error', (e) => done(e));
  });
}

async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
