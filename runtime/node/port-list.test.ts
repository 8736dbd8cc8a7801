import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyPort, findPortHolders, listPorts, probeByOpening, sortPorts } from './port-list.js';
import { SerialLink } from './serial-link.js';

describe('classifyPort and sortPorts', () => {
  it('recognises MicroPython, board, bridge and bootloader ids in any case or padding', () => {
    expect(classifyPort({ path: '/dev/ttyACM0', vendorId: '2E8A', productId: '0005' })).toMatchObject({
      kind: 'micropython',
      vid: '2e8a',
      pid: '0005',
      description: 'MicroPython on RP2040/RP2350',
    });
    expect(classifyPort({ path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60' }).kind).toBe('usb-uart');
    expect(classifyPort({ path: '/dev/ttyACM3', vendorId: '303a', productId: '1001' }).kind).toBe('board');
    // Windows reports ids without leading zeros.
    expect(classifyPort({ path: 'COM7', vendorId: '403', productId: '6001' })).toMatchObject({ kind: 'usb-uart', vid: '0403' });
    const boot = classifyPort({ path: '/dev/ttyACM1', vendorId: '2e8a', productId: '0003' });
    expect(boot.kind).toBe('bootloader');
    expect(boot.description).toMatch(/not MicroPython \(bootloader\)/);
    expect(classifyPort({ path: '/dev/ttyACM9', vendorId: '1234', productId: 'abcd', manufacturer: 'Acme' })).toMatchObject({
      kind: 'other-usb',
      description: 'USB device 1234:abcd (Acme)',
    });
    expect(classifyPort({ path: '/dev/ttyS0' })).toMatchObject({ kind: 'builtin', vid: null });
  });

  it('puts likely MicroPython boards first, then ports in natural order', () => {
    const ports = [
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' },
      { path: '/dev/ttyACM10', vendorId: '2e8a', productId: '0005' },
      { path: '/dev/ttyACM2', vendorId: '2e8a', productId: '0005' },
      { path: '/dev/ttyACM1', vendorId: '2e8a', productId: '0003' },
      { path: '/dev/ttyACM5', vendorId: '9999', productId: '0001' },
    ].map(classifyPort);
    expect(sortPorts(ports).map((p) => p.path)).toEqual([
      '/dev/ttyACM2',
      '/dev/ttyACM10',
      '/dev/ttyUSB0',
      '/dev/ttyACM1',
      '/dev/ttyACM5',
      '/dev/ttyS0',
    ]);
  });
});

describe('listPorts on this machine', () => {
  it("lists the OS's ports without throwing (needs udev on Linux)", async () => {
    const ports = await listPorts();
    for (const p of ports) expect(typeof p.path).toBe('string');
  });
});

describe.skipIf(process.platform !== 'linux')('busy ports (a real pty from socat)', () => {
  let dir: string;
  let ptyPath: string;
  let socat: ReturnType<typeof spawn>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-ports-'));
    ptyPath = path.join(dir, 'ttyBOARD');
    socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${ptyPath}`, `pty,raw,echo=0,link=${path.join(dir, 'other')}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`socat did not start: ${log}`)), 5000);
      socat.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('starting data transfer loop')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });

  afterAll(() => {
    socat?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says which process holds a port, without opening it', async () => {
    const fake = async () => [{ path: ptyPath, vendorId: '2e8a', productId: '0005' }];
    // socat itself keeps the pty's device open; a real board's port has no such holder.
    expect((await listPorts({ list: fake }))[0].busy).toMatch(/^socat \(pid \d+\)$/);
    const link = await SerialLink.open({ path: ptyPath });
    try {
      const [port] = await listPorts({ list: fake });
      expect(port.kind).toBe('micropython');
      expect(port.busy).toContain(`this program (pid ${process.pid})`);
      expect((await findPortHolders([ptyPath])).get(ptyPath)).toContain(`this program (pid ${process.pid})`);
      // Opening as a probe also sees the lock.
      expect(await probeByOpening(ptyPath)).toMatch(/locked/);
    } finally {
      await link.close();
    }
    expect(await probeByOpening(ptyPath)).toBeNull();
  });

  it('reports no holders for a path that does not exist or without /proc', async () => {
    expect((await findPortHolders(['/dev/does-not-exist'])).get('/dev/does-not-exist')).toEqual([]);
    expect((await findPortHolders([ptyPath], path.join(dir, 'no-proc'))).get(ptyPath)).toEqual([]);
  });
});
