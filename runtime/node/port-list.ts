// Which serial ports could be a MicroPython board? Every port the OS lists
// (serialport's list(), which needs udev on Linux), recognised by USB
// VID:PID, likely boards first, and whether another program holds it.
//
// Listing never opens a port: opening raises DTR/RTS on most OSes, which
// resets some boards. Busy ports are found on Linux by looking for the device
// among other processes' open files (/proc/<pid>/fd), which is harmless;
// opening as a probe is available but opt-in.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { SerialPort } from 'serialport';
import { PortBusyError, SerialLink } from './serial-link.js';

/** What is known about the device behind a port, from its USB ids. */
export type PortKind =
  | 'micropython' // USB ids that MicroPython's own USB stack uses
  | 'board' // a board's built-in USB serial (micro:bit DAPLink, Espressif USB-Serial/JTAG): firmware unknown
  | 'usb-uart' // a USB-UART bridge chip, as on most ESP32/ESP8266 boards
  | 'bootloader' // a chip in its bootloader: not MicroPython (yet)
  | 'other-usb'
  | 'builtin'; // no USB ids: a motherboard UART, usually with nothing attached

export interface UsbIdEntry {
  vid: string;
  pid: string;
  kind: PortKind;
  description: string;
}

// From ../shared/PROTOCOLS.md, "Board identification", plus the micro:bit.
export const USB_IDS: UsbIdEntry[] = [
  { vid: '2e8a', pid: '0005', kind: 'micropython', description: 'MicroPython on RP2040/RP2350' },
  { vid: '303a', pid: '4001', kind: 'micropython', description: "MicroPython's TinyUSB on ESP32-S2/S3" },
  { vid: 'f055', pid: '9800', kind: 'micropython', description: 'MicroPython pyboard' },
  { vid: '303a', pid: '1001', kind: 'board', description: 'Espressif USB-Serial/JTAG (ESP32-C3/C6/S3)' },
  { vid: '0d28', pid: '0204', kind: 'board', description: 'BBC micro:bit (DAPLink serial)' },
  { vid: '10c4', pid: 'ea60', kind: 'usb-uart', description: 'CP210x USB-UART bridge' },
  { vid: '1a86', pid: '7523', kind: 'usb-uart', description: 'CH340 USB-UART bridge' },
  { vid: '1a86', pid: '55d4', kind: 'usb-uart', description: 'CH9102 USB-UART bridge' },
  { vid: '0403', pid: '6001', kind: 'usb-uart', description: 'FTDI FT232R USB-UART bridge' },
  { vid: '0403', pid: '6010', kind: 'usb-uart', description: 'FTDI FT2232 USB-UART bridge' },
  { vid: '0403', pid: '6014', kind: 'usb-uart', description: 'FTDI FT232H USB-UART bridge' },
  { vid: '0403', pid: '6015', kind: 'usb-uart', description: 'FTDI FT-X USB-UART bridge' },
  { vid: '2e8a', pid: '0003', kind: 'bootloader', description: 'RP2040 in BOOTSEL mode: not MicroPython (bootloader)' },
  { vid: '2e8a', pid: '000f', kind: 'bootloader', description: 'RP2350 in BOOTSEL mode: not MicroPython (bootloader)' },
  { vid: '0483', pid: 'df11', kind: 'bootloader', description: 'STM32 in DFU mode: not MicroPython (bootloader)' },
];

const KIND_ORDER: PortKind[] = ['micropython', 'board', 'usb-uart', 'bootloader', 'other-usb', 'builtin'];

/** The fields of serialport's PortInfo that matter here. */
export interface RawPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface BoardPort {
  path: string;
  /** Lower-case 4-digit hex, or null for ports without USB ids. */
  vid: string | null;
  pid: string | null;
  kind: PortKind;
  description: string;
  manufacturer: string | null;
  serialNumber: string | null;
  /** Who holds the port open, if anyone is known to: "picocom (pid 4242)". null: free or unknown. */
  busy: string | null;
}

function hex4(id: string | undefined): string | null {
  if (!id) return null;
  const n = parseInt(id, 16);
  return Number.isNaN(n) ? null : n.toString(16).padStart(4, '0');
}

export function classifyPort(info: RawPortInfo): BoardPort {
  const vid = hex4(info.vendorId);
  const pid = hex4(info.productId);
  const known = USB_IDS.find((e) => e.vid === vid && e.pid === pid);
  const kind: PortKind = known?.kind ?? (vid ? 'other-usb' : 'builtin');
  const description =
    known?.description ?? (vid ? `USB device ${vid}:${pid ?? '????'}${info.manufacturer ? ` (${info.manufacturer})` : ''}` : 'serial port without USB ids');
  return {
    path: info.path,
    vid,
    pid,
    kind,
    description,
    manufacturer: info.manufacturer ?? null,
    serialNumber: info.serialNumber ?? null,
    busy: null,
  };
}

/** Likely MicroPython boards first, then by path (natural order: ttyACM2 before ttyACM10). */
export function sortPorts(ports: BoardPort[]): BoardPort[] {
  return [...ports].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.path.localeCompare(b.path, undefined, { numeric: true }),
  );
}

export interface ListPortsOptions {
  /** Where the OS's list comes from (tests pass their own). */
  list?: () => Promise<RawPortInfo[]>;
  /**
   * Also try opening each port that looks free (and close it at once) to
   * find locks /proc cannot show, e.g. on macOS and Windows. Opening raises
   * DTR/RTS, which resets some boards, so it is off by default.
   */
  probeByOpening?: boolean;
}

export async function listPorts(opts: ListPortsOptions = {}): Promise<BoardPort[]> {
  const raw = await (opts.list ?? (() => SerialPort.list()))();
  const ports = raw.map(classifyPort);
  const holders = await findPortHolders(ports.map((p) => p.path));
  for (const p of ports) {
    const h = holders.get(p.path);
    if (h?.length) p.busy = h.join(', ');
    else if (opts.probeByOpening) p.busy = await probeByOpening(p.path);
  }
  return sortPorts(ports);
}

/** Opens and closes the port; says who/what holds it when that fails with a busy error. */
export async function probeByOpening(portPath: string): Promise<string | null> {
  try {
    const link = await SerialLink.open({ path: portPath });
    await link.close();
    return null;
  } catch (e) {
    return e instanceof PortBusyError ? 'another program (the port is locked)' : null;
  }
}

/**
 * Linux: which processes have these device files open, from /proc/<pid>/fd.
 * Returns a map from each given path to descriptions like "picocom (pid 42)";
 * empty where /proc is missing (macOS, Windows) or unreadable.
 */
export async function findPortHolders(portPaths: string[], procDir = '/proc'): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const byDevice = new Map<string, string>();
  for (const p of portPaths) {
    result.set(p, []);
    try {
      byDevice.set(fs.realpathSync(p), p);
    } catch {
      // A port that vanished since listing: nobody holds it.
    }
  }
  let pids: string[];
  try {
    pids = (await fs.promises.readdir(procDir)).filter((d) => /^\d+$/.test(d));
  } catch {
    return result;
  }
  await Promise.all(
    pids.map(async (pid) => {
      let fds: string[];
      try {
        fds = await fs.promises.readdir(path.join(procDir, pid, 'fd'));
      } catch {
        return; // gone, or another user's process
      }
      const held = new Set<string>();
      for (const fd of fds) {
        const target = await fs.promises.readlink(path.join(procDir, pid, 'fd', fd)).catch(() => null);
        const port = target && byDevice.get(target);
        if (port) held.add(port);
      }
      if (!held.size) return;
      const name = Number(pid) === process.pid ? 'this program' : await processName(procDir, pid);
      for (const port of held) result.get(port)!.push(`${name} (pid ${pid})`);
    }),
  );
  return result;
}

async function processName(procDir: string, pid: string): Promise<string> {
  try {
    return (await fs.promises.readFile(path.join(procDir, pid, 'comm'), 'utf8')).trim() || 'a process';
  } catch {
    return 'a process';
  }
}
