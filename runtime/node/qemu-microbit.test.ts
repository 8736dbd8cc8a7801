// Mote's client against REAL MicroPython firmware: 1.9.2 for the BBC
// micro:bit, booted under qemu, through the real `serialport` on qemu's pty.
// It is old on purpose: no raw-paste (the fallback to paced raw mode must
// work), no json, a tiny input buffer, 9 KB of heap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBoard } from '../common/board-connect.js';
import { BoardFs } from '../common/board-fs.js';
import { parsePyLiteral } from '../common/board-identify.js';
import { BoardSession } from '../common/board-session.js';
import { pyBytes, pyStr } from '../common/py-literal.js';
import { BoardError, rawPasteSupport, type RawRepl } from '../common/raw-repl.js';
import { ByteCollector } from '../testing/byte-collector.js';
import { qemuMicrobitMissing, startQemuMicrobit, type QemuMicrobit } from './qemu-microbit.js';
import { SerialLink } from './serial-link.js';

const missing = qemuMicrobitMissing();
const ROUNDS = Number(process.env.MOTE_QEMU_ROUNDS ?? 3);
if (missing) console.warn(`SKIPPED qemu micro:bit tests: ${missing}`);

/** Writes a file with plain open/write, which every MicroPython has (BoardFs is not under test here). */
async function writeRaw(repl: RawRepl, name: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await repl.execChecked(`f = open(${pyStr(name)}, 'wb')\nf.write(${pyBytes(bytes)})\nf.close()\ndel f`);
}

describe.skipIf(missing !== null)('real MicroPython 1.9.2 (micro:bit on qemu) over serialport', () => {
  let qemu: QemuMicrobit;
  let link: SerialLink;
  let session: BoardSession;

  beforeAll(async () => {
    qemu = await startQemuMicrobit();
    link = await SerialLink.open({ path: qemu.ptyPath });
    session = new BoardSession(link);
  });

  afterAll(async () => {
    await link?.close();
    await qemu?.stop();
  });

  it('connects and identifies the board', async () => {
    const c = await connectBoard(link);
    console.log(`connect to MicroPython 1.9.2 under qemu: ${c.totalMs} ms (raw prompt after ${c.attentionMs} ms)`);
    expect(c.info).toMatchObject({
      implementation: 'micropython',
      version: '1.9.2',
      platform: 'microbit',
      machine: 'micro:bit with nRF51822',
      mpy: null,
      fsSize: null,
    });
    expect(c.info!.uname!.release).toBe('1.0.1');
    expect(c.info!.memFree).toBeGreaterThan(1000);
    // The identify exec found out that this firmware has no raw-paste.
    expect(rawPasteSupport(link)).toBe(false);
  });

  it('runs code and returns its output, and an exception as a BoardError', async () => {
    const out = await session.exclusive((r) => r.execChecked("for i in range(3):\n    print('line', i)"));
    expect(out.toString()).toBe('line 0\r\nline 1\r\nline 2\r\n');
    const err = await session.exclusive((r) => r.execChecked('x = 1\n1 / 0')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardError);
    expect((err as BoardError).message).toBe('ZeroDivisionError: division by zero');
    expect((err as BoardError).traceback).toContain('File "<stdin>", line 2');
  });

  it('falls back to paced raw mode and runs a program much larger than 256 bytes intact', async () => {
    // ~1.5 KB of statements and padding comments (the heap is 9 KB, so not
    // 120 variables): one lost byte would be a SyntaxError or a wrong sum.
    const lines = Array.from({ length: 40 }, (_, i) => `t += ${i}  # line ${i}: padding so that the program is long`);
    const src = `t = 0\n${lines.join('\n')}\nprint('sum', t)\n`;
    expect(src.length).toBeGreaterThan(1500);
    for (let round = 0; round < ROUNDS; round++) {
      const out = await session.exclusive((r) => r.execChecked(src));
      expect(out.toString()).toBe(`sum ${(39 * 40) / 2}\r\n`);
    }
    expect(rawPasteSupport(link)).toBe(false);
  });

  it('passes UTF-8 output through unchanged', async () => {
    const out = await session.exclusive((r) => r.execChecked("print('h\u00e9 \u4e16')"));
    expect(out.toString('utf8')).toBe('h\u00e9 \u4e16\r\n');
  });

  it('moves a small binary file both ways with plain exec (open/write/read, os.listdir, os.remove)', async () => {
    const data = Buffer.from("hello from mote\nit's\x00\xff binary\n", 'latin1');
    await session.exclusive((r) => writeRaw(r, 'raw.bin', data));
    const listing = await session.exclusive((r) => r.execChecked("import os\nprint(os.listdir(), os.size('raw.bin'))"));
    expect(listing.toString()).toBe(`['raw.bin'] ${data.length}\r\n`);
    // repr() of bytes is ASCII on every firmware: parse it back byte for byte.
    const back = await session.exclusive((r) => r.execChecked("with open('raw.bin', 'rb') as f:\n    print(repr(f.read()))"));
    expect(Buffer.from(parsePyLiteral(back.toString('latin1').trim()) as string, 'latin1')).toEqual(data);
    await session.exclusive((r) => r.execChecked("import os\nos.remove('raw.bin')"));
  });

  it('writes, lists, reads and removes a small text and a small binary file with BoardFs', async () => {
    // This firmware's os has only listdir/remove/size (no stat, ilistdir,
    // rename, mkdir, statvfs) and there is no binascii or hashlib: BoardFs
    // falls back (flat names, in-place writes verified by reading back).
    const fsys = new BoardFs(session);
    try {
      await boardFsRoundTrip(fsys);
    } finally {
      await session.exclusive((r) => r.execChecked("import os\nfor n in os.listdir():\n    os.remove(n)"));
    }
  });

  async function boardFsRoundTrip(fsys: BoardFs): Promise<void> {
    const f = await fsys.capabilities();
    expect(f).toMatchObject({ stat: false, ilistdir: false, rename: false, statvfs: false, flat: true, binascii: false, sha256: false });
    const text = Buffer.from('print("hello from mote")\n', 'utf8');
    const bin = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff));
    await fsys.write('/mote-test.py', text);
    await fsys.write('/mote-test.bin', bin);
    const listing = await fsys.list('/');
    expect(listing).toContainEqual({ path: '/mote-test.py', size: text.length, isDir: false });
    expect(listing).toContainEqual({ path: '/mote-test.bin', size: bin.length, isDir: false });
    expect(await fsys.stat('/mote-test.bin')).toEqual({ path: '/mote-test.bin', size: bin.length, isDir: false });
    expect(Buffer.compare(await fsys.read('/mote-test.py'), text)).toBe(0);
    expect(Buffer.compare(await fsys.read('/mote-test.bin'), bin)).toBe(0);
    // A program larger than one exec's budget (~1 KB on 9 KB of heap) goes in
    // several execs; this firmware has no 'ab' mode, so they share one handle.
    const big = Buffer.from(Array.from({ length: 60 }, (_, i) => `print('line ${i} of a program that needs several execs')\n`).join(''));
    expect(big.length).toBeGreaterThan(2500);
    await fsys.write('/mote-big.py', big);
    expect(Buffer.compare(await fsys.read('/mote-big.py'), big)).toBe(0);
    await fsys.remove('/mote-big.py');
    // Overwriting in place (no rename on this firmware) replaces the content.
    await fsys.write('/mote-test.py', Buffer.from('x = 2\n'));
    expect((await fsys.read('/mote-test.py')).toString()).toBe('x = 2\n');
    // What a flat filesystem cannot do fails clearly.
    await expect(fsys.mkdir('/lib')).rejects.toMatchObject({ code: 'ENOTSUP', message: expect.stringMatching(/filesystem is flat/) });
    await expect(fsys.rename('/mote-test.py', '/b.py')).rejects.toMatchObject({ code: 'ENOTSUP', message: expect.stringMatching(/filesystem is flat/) });
    await expect(fsys.write('/lib/x.py', text)).rejects.toMatchObject({ code: 'ENOTSUP' });
    await expect(fsys.read('/missing.py')).rejects.toMatchObject({ code: 'ENOENT' });
    await fsys.remove('/mote-test.py');
    await fsys.remove('/mote-test.bin');
    expect((await fsys.list('/')).map((e) => e.path)).toEqual([]);
  }

  it('stops a looping main.py after a reset', async () => {
    await session.exclusive((r) => writeRaw(r, 'main.py', "while True:\n    print('tick')\n"));
    const rx = new ByteCollector(link);
    await qemu.hardReset();
    await rx.waitForText('tick\r\ntick', 5000);
    rx.dispose();
    const c = await connectBoard(link);
    expect(c.stoppedProgram).toBe(true);
    expect(c.info!.platform).toBe('microbit');
    await session.exclusive((r) => r.execChecked("import os\nos.remove('main.py')"));
  });

  it('gets through a main.py that disables Ctrl-C, by a hard reset and an interrupt burst as it boots', async () => {
    // kbd_intr(-1) makes Ctrl-C an ordinary byte: only catching main.py before that line helps.
    const main = "import micropython, time\ntime.sleep_ms(200)\nmicropython.kbd_intr(-1)\nwhile True:\n    print('deaf')\n";
    await session.exclusive((r) => writeRaw(r, 'main.py', main));
    const rx = new ByteCollector(link);
    await qemu.hardReset();
    await rx.waitForText('deaf\r\ndeaf', 5000);
    rx.dispose();
    const steps: string[] = [];
    const c = await connectBoard(link, { budgetMs: 4000, hardReset: () => qemu.hardReset(), onStep: (s) => steps.push(s) });
    expect(c.recovery).toBe('hard-reset');
    expect(steps).toEqual(expect.arrayContaining(['interrupt', 'interrupt-burst', 'hard-reset', 'identify']));
    await session.exclusive((r) => r.execChecked("import os\nos.remove('main.py')"));
    expect((await session.exclusive((r) => r.execChecked('import os\nprint(os.listdir())'))).toString()).toBe('[]\r\n');
  });
});
