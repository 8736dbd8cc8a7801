// connectBoard against the simulated board served on a real pty (socat) and
// opened with the real `serialport`: idle boards, boards running a looping
// main.py, a program that ignores Ctrl-C, and terminal text that is not clean
// UTF-8. Each board boots with its own files, as a board fresh off a desk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConnectError, connectBoard } from '../common/board-connect.js';
import { BoardSession } from '../common/board-session.js';
import { Utf8Stream } from '../common/utf8-stream.js';
import { serveSimOnPty, type SimPtyServer } from '../sim/node/sim-pty.js';
import { SimBoard } from '../sim/node/sim-board.js';
import { ByteCollector } from '../testing/byte-collector.js';
import { SerialLink } from './serial-link.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-connect-'));
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A simulated board with these files, on a pty, opened through serialport. */
async function boardOnPty(files: Record<string, string> = {}): Promise<{ server: SimPtyServer; link: SerialLink }> {
  const dir = fs.mkdtempSync(path.join(root, 'b-'));
  const filesDir = path.join(dir, 'files');
  fs.mkdirSync(filesDir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(filesDir, name), text);
  const server = await serveSimOnPty({ ptyPath: path.join(dir, 'tty'), filesDir });
  cleanups.push(() => server.close());
  const link = await SerialLink.open({ path: server.ptyPath });
  cleanups.push(() => link.close());
  return { server, link };
}

const TICKING_MAIN = "import time\nwhile True:\n    print('tick')\n    time.sleep_ms(5)\n";
const SPINNING_MAIN = 'while True:\n    pass\n';
// Catches every KeyboardInterrupt and keeps printing: Ctrl-C alone never wins.
const STUBBORN_LOOP = "while True:\n    try:\n        while True:\n            print('busy')\n            time.sleep_ms(2)\n    except KeyboardInterrupt:\n        pass\n";

describe('connectBoard over a pty', () => {
  it('connects to an idle board fast and identifies it', async () => {
    const { link } = await boardOnPty();
    // Let the board finish booting, as a board that has been plugged in for a while.
    const rx = new ByteCollector(link);
    await link.write(Buffer.from('\r'));
    await rx.waitForText('>>> ', 5000);
    rx.dispose();

    const times: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await connectBoard(link);
      times.push(last.totalMs);
    }
    console.log(`connect to an idle simulated board on a pty: ${times.join(' ms, ')} ms (raw prompt after ${last!.attentionMs} ms)`);
    expect(last!.recovery).toBe('none');
    expect(last!.stoppedProgram).toBe(false);
    expect(last!.info).toMatchObject({ implementation: 'micropython', version: '1.27.0', platform: 'rp2' });
    expect(last!.info!.machine).toMatch(/Mote Simulated Pico/);
    expect(last!.info!.memFree).toBeGreaterThan(0);
    expect(Math.min(...times)).toBeLessThanOrEqual(300);

    // The board is left at the friendly prompt, usable by a session.
    const session = new BoardSession(link);
    expect((await session.exclusive((r) => r.execChecked('print(6*7)'))).toString()).toBe('42\r\n');
  });

  it('stops a main.py that prints without end', async () => {
    const { link } = await boardOnPty({ 'main.py': TICKING_MAIN });
    const rx = new ByteCollector(link);
    await rx.waitForText('tick', 5000);
    rx.dispose();
    const c = await connectBoard(link);
    expect(c.stoppedProgram).toBe(true);
    expect(c.received.toString()).toContain('KeyboardInterrupt');
    expect(c.info!.platform).toBe('rp2');
    const session = new BoardSession(link);
    expect((await session.exclusive((r) => r.execChecked("print('free')"))).toString()).toBe('free\r\n');
  });

  it('recovers a main.py spinning in a loop that never sees Ctrl-C', async () => {
    const { link } = await boardOnPty({ 'main.py': SPINNING_MAIN });
    const c = await connectBoard(link);
    // The simulator hard-resets a board whose program ignores Ctrl-C, skipping main.py.
    expect(c.received.toString()).toContain('hard-reset');
    expect(c.totalMs).toBeLessThan(10000);
    const session = new BoardSession(link);
    expect((await session.exclusive((r) => r.execChecked('print(1)'))).toString()).toBe('1\r\n');
  });

  it('fails within its budget on a program that catches every Ctrl-C, showing what the board sent', async () => {
    const { link } = await boardOnPty({ 'main.py': 'import time\n' + STUBBORN_LOOP });
    const t0 = Date.now();
    const err = await connectBoard(link, { budgetMs: 2500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).message).toMatch(/did not enter the raw REPL within 3 s .*bursts of Ctrl-C.*busy/);
    expect((err as ConnectError).tried).toContain('interrupt-burst');
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('keeps split and invalid UTF-8 intact on the way to the terminal', async () => {
    const { link } = await boardOnPty();
    await connectBoard(link, { identify: false });
    const session = new BoardSession(link);
    const chunks: Buffer[] = [];
    session.onTerminal((b) => chunks.push(Buffer.from(b)));
    const r = await session.run(
      // 世 split over two writes 30 ms apart, then bytes that are not UTF-8 at all.
      "import sys, time\nsys.stdout.buffer.write(b'<\\xe4\\xb8')\ntime.sleep_ms(30)\nsys.stdout.buffer.write(b'\\x96|\\xff\\xfe|\\xc3\\xa9>\\n')",
    );
    expect(r.stderr.toString()).toBe('');
    const all = Buffer.concat(chunks);
    const want = Buffer.from([0x3c, 0xe4, 0xb8, 0x96, 0x7c, 0xff, 0xfe, 0x7c, 0xc3, 0xa9, 0x3e]);
    expect(all.includes(want)).toBe(true); // byte for byte
    // The character really did arrive in two pieces.
    expect(chunks.some((c) => c.length && c[c.length - 1] === 0xb8)).toBe(true);
    const d = new Utf8Stream();
    const text = chunks.map((c) => d.write(c)).join('') + d.flush();
    expect(text).toContain('<世|\ufffd\ufffd|é>');
  });
});

describe('connectBoard with a hard reset (the simulator as a Link, which has hardReset())', () => {
  it('resets a board whose main.py ignores Ctrl-C and catches it as it starts', async () => {
    const filesDir = fs.mkdtempSync(path.join(root, 'hr-'));
    // A short start-up before the loop, as most main.py have (sensors, Wi-Fi).
    fs.writeFileSync(path.join(filesDir, 'main.py'), 'import time\ntime.sleep_ms(300)\n' + STUBBORN_LOOP);
    const board = await SimBoard.start({ filesDir });
    cleanups.push(() => board.close());
    const rx = new ByteCollector(board);
    await rx.waitForText('busy', 5000);
    rx.dispose();
    const steps: string[] = [];
    const c = await connectBoard(board, { budgetMs: 4000, onStep: (s) => steps.push(s) });
    expect(c.recovery).toBe('hard-reset');
    expect(steps).toContain('hard-reset');
    expect(c.info!.platform).toBe('rp2');
    // main.py is still there: only this run of it was stopped.
    expect(fs.existsSync(path.join(filesDir, 'main.py'))).toBe(true);
  });
});
