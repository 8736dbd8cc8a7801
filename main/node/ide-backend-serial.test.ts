// The back end switching boards: a simulated board served on a pty stands in
// for a USB board, so connecting, running, file management, sync and
// reconnecting after the board goes away all run over a real serial link.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardStatus, MoteEvents, TransferProgress } from '../common/api.js';
import { waitFor, type Subscribe } from '../../ota/testing/wait-for.js';
import { serveSimOnPty, type SimPtyServer } from '../../runtime/sim/node/sim-pty.js';
import { createBackend, type DisposableBackend } from './ide-backend.js';

let dir: string;
let ptyPath: string;
let usbFiles: string;
let server: SimPtyServer | null = null;
let backend: DisposableBackend;
let terminal = '';
const statuses: BoardStatus[] = [];
const progress: TransferProgress[] = [];

// Conditions read only what the back end's events record (see beforeAll),
// so each is re-checked as an event arrives instead of on a timer.
const eventListeners = new Set<() => void>();
const onEvent: Subscribe = (cb) => (eventListeners.add(cb), () => eventListeners.delete(cb));
const until = (what: string, cond: () => boolean, timeoutMs = 15000) => waitFor(what, cond, [onEvent], timeoutMs);
const lastStatus = () => statuses[statuses.length - 1];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-backend-serial-'));
  ptyPath = path.join(dir, 'ttyUSBSIM');
  usbFiles = path.join(dir, 'usb-board-files');
  fs.mkdirSync(path.join(dir, 'project', 'lib'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'project', 'main.py'), "print('hello from main')\n");
  fs.writeFileSync(path.join(dir, 'project', 'lib', 'helper.py'), 'X = 42\n');
  fs.writeFileSync(path.join(dir, 'project', '.secret'), 'not for the board\n');
  server = await serveSimOnPty({ ptyPath, filesDir: usbFiles });
  backend = await createBackend(
    {
      projectDir: path.join(dir, 'project'),
      dataDir: path.join(dir, 'data'),
      reconnectMs: 3000,
      listPorts: async () => [
        { path: ptyPath, vid: '2e8a', pid: '0005', kind: 'micropython', description: 'Raspberry Pi Pico (MicroPython)', manufacturer: null, serialNumber: null, busy: 'node (pid 1)' },
      ],
    },
    (<E extends keyof MoteEvents>(event: E, payload: MoteEvents[E]) => {
      if (event === 'terminalData') terminal += Buffer.from(payload as Uint8Array).toString('utf8');
      if (event === 'boardStatus') statuses.push(payload as BoardStatus);
      if (event === 'transferProgress') progress.push(payload as TransferProgress);
      for (const cb of eventListeners) cb();
    }) as never,
  );
}, 30000);

afterAll(async () => {
  await backend.dispose();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('IDE back end on a serial board', () => {
  it('lists the simulator first, then serial ports', async () => {
    const targets = await backend.listTargets();
    expect(targets[0]).toEqual({ id: 'sim', label: 'Mote Simulated Pico', kind: 'sim', likely: true, busy: null });
    expect(targets[1]).toMatchObject({ id: `serial:${ptyPath}`, kind: 'serial', likely: true, busy: 'node (pid 1)' });
    expect(targets[1].label).toContain('Raspberry Pi Pico');
  });

  it('says clearly when a port cannot be opened, and keeps the current board', async () => {
    await expect(backend.connectTarget(`serial:${path.join(dir, 'no-such-tty')}`)).rejects.toThrow(/Cannot connect to .*no-such-tty.*does not exist/);
    expect((await backend.getBoardStatus()).connection).toBe('Simulator');
  });

  it('connects to the serial board, identifies it, and runs code there', async () => {
    const s = await backend.connectTarget(`serial:${ptyPath}`);
    expect(s).toMatchObject({ connection: ptyPath, state: 'ready', version: 'MicroPython v1.27.0' });
    expect(s.boardName).toMatch(/Mote Simulated Pico/);
    expect(lastStatus().connection).toBe(ptyPath);
    // The port we hold ourselves is not reported as busy.
    expect((await backend.listTargets())[1].busy).toBeNull();
    const r = await backend.run("print('on usb', 6 * 7)\n", 'main.py');
    expect(r).toEqual({ ok: true, interrupted: false, error: null });
    await until('run output', () => terminal.includes('on usb 42'));
  }, 30000);

  it('manages files: upload, mkdir, rename, download (verified)', async () => {
    await backend.uploadProjectFile('lib/helper.py', 'lib/helper.py');
    expect(fs.readFileSync(path.join(usbFiles, 'lib', 'helper.py'), 'utf8')).toBe('X = 42\n');
    await backend.mkdirBoard('data/logs');
    await backend.renameBoard('lib/helper.py', 'data/logs/h.py');
    const files = await backend.listBoardFiles();
    expect(files).toContainEqual({ path: '/data/logs', size: 0, isDir: true });
    expect(files).toContainEqual({ path: '/data/logs/h.py', size: 7, isDir: false });
    await backend.downloadBoardFile('data/logs/h.py', 'copies/h.py');
    expect(fs.readFileSync(path.join(dir, 'project', 'copies', 'h.py'), 'utf8')).toBe('X = 42\n');
    expect((await backend.getProject()).files).toContain('copies/h.py');
  }, 30000);

  it('previews a sync, then applies it with progress', async () => {
    fs.rmSync(path.join(dir, 'project', 'copies'), { recursive: true });
    const plan = await backend.syncPreview({ compileMpy: false });
    expect(plan.upload.map((u) => u.path).sort()).toEqual(['lib/helper.py', 'main.py']);
    expect(plan.delete.map((d) => d.remotePath)).toContain('/data/logs/h.py');
    expect(fs.existsSync(path.join(usbFiles, 'main.py'))).toBe(false);

    const done = await backend.syncApply({ deleteRemoved: true, compileMpy: false });
    expect(done.upload).toHaveLength(2);
    expect(fs.readFileSync(path.join(usbFiles, 'main.py'), 'utf8')).toBe("print('hello from main')\n");
    expect(fs.existsSync(path.join(usbFiles, 'data', 'logs', 'h.py'))).toBe(false);
    expect(progress.some((p) => p.label === 'main.py' && p.done > 0)).toBe(true);
    expect((await backend.syncPreview({ compileMpy: false })).upload).toEqual([]);
  }, 30000);

  it('syncs modules compiled to .mpy when asked, and the board imports them', async () => {
    const plan = await backend.syncPreview({ compileMpy: true });
    // helper.py becomes helper.mpy; main.py stays source (the firmware runs it as such).
    expect(plan.upload.map((u) => u.remotePath)).toEqual(['/lib/helper.mpy']);
    await backend.syncApply({ deleteRemoved: false, compileMpy: true });
    expect(fs.readFileSync(path.join(usbFiles, 'lib', 'helper.mpy')).subarray(0, 1).toString()).toBe('M');
    // The source copy is gone, or MicroPython would import it instead.
    expect(fs.existsSync(path.join(usbFiles, 'lib', 'helper.py'))).toBe(false);
    const r = await backend.run("import sys\nsys.modules.pop('helper', None)\nimport helper\nprint('mpy says', helper.X, helper.__file__)\n", 'main.py');
    expect(r.ok).toBe(true);
    await until('import from .mpy', () => terminal.includes('mpy says 42 /lib/helper.mpy'));
    expect((await backend.syncPreview({ compileMpy: true })).upload).toEqual([]);
    // Back to source: helper.py travels again (and the plan shows it).
    expect((await backend.syncPreview({ compileMpy: false })).upload.map((u) => u.remotePath)).toEqual(['/lib/helper.py']);
    await backend.syncApply({ deleteRemoved: true, compileMpy: false });
    expect(fs.existsSync(path.join(usbFiles, 'lib', 'helper.mpy'))).toBe(false);
  }, 30000);

  it('cancels a transfer', async () => {
    fs.writeFileSync(path.join(dir, 'project', 'big.bin'), randomBytes(400_000));
    const applying = backend.syncApply({ deleteRemoved: false, compileMpy: false });
    await until('progress on big.bin', () => progress.some((p) => p.label === 'big.bin'));
    await backend.cancelTransfer();
    await expect(applying).rejects.toThrow(/cancelled/);
    fs.rmSync(path.join(dir, 'project', 'big.bin'));
    expect(fs.existsSync(path.join(usbFiles, 'big.bin'))).toBe(false);
    // The line is usable again afterwards.
    expect((await backend.syncPreview({ compileMpy: false })).upload).toEqual([]);
  }, 30000);

  it('stops a running program, then soft- and hard-resets the board, which runs main.py again', async () => {
    const running = backend.run("import time\nprint('looping')\nwhile True:\n    time.sleep_ms(10)\n", 'main.py');
    await until('loop started', () => terminal.includes('looping'));
    await backend.stop();
    expect(await running).toMatchObject({ ok: false, interrupted: true });
    terminal = '';
    await backend.softReset();
    await until('soft reboot runs main.py', () => terminal.includes('soft reboot') && terminal.includes('hello from main'));
    terminal = '';
    await backend.hardReset();
    // As on a board, boot.py and main.py run first, then the REPL prints its banner.
    await until('main.py, then the banner', () => /hello from main\r\nMicroPython v1\.27\.0[^\n]*Mote Simulated Pico/.test(terminal));
    expect(terminal).not.toContain('soft reboot');
    expect((await backend.run("print('after reset')\n", 'main.py')).ok).toBe(true);
    await until('runs after the reset', () => terminal.includes('after reset'));
  }, 30000);

  it('reconnects when the board goes away and comes back', async () => {
    statuses.length = 0;
    await server!.close();
    server = null;
    await until('reconnecting', () => statuses.some((s) => s.state === 'reconnecting'));
    server = await serveSimOnPty({ ptyPath, filesDir: usbFiles });
    await until('ready again', () => lastStatus()?.state === 'ready');
    expect(lastStatus().connection).toBe(ptyPath);
    const r = await backend.run("print('back again')\n", 'main.py');
    expect(r.ok).toBe(true);
    await until('output after reconnecting', () => terminal.includes('back again'));
  }, 40000);

  it('says disconnected when the board stays away, and connects again on request', async () => {
    statuses.length = 0;
    await server!.close();
    server = null;
    await until('disconnected', () => lastStatus()?.state === 'disconnected', 10000);
    expect(terminal).toContain('did not come back');
    await expect(backend.run('print(1)\n', 'main.py')).resolves.toMatchObject({ ok: false });
    server = await serveSimOnPty({ ptyPath, filesDir: usbFiles });
    expect(await backend.connectTarget(`serial:${ptyPath}`)).toMatchObject({ state: 'ready', connection: ptyPath });
    expect((await backend.run("print('again')\n", 'main.py')).ok).toBe(true);
  }, 30000);

  it('switches back to the simulator', async () => {
    const s = await backend.connectTarget('sim');
    expect(s.connection).toBe('Simulator');
    await until('the simulator prompt', () => lastStatus()?.state === 'ready');
    expect((await backend.run("print('sim')\n", 'main.py')).ok).toBe(true);
  }, 30000);
});
