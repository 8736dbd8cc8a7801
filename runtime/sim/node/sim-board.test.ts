// The simulated board must answer with the bytes real firmware sends. Most
// cases replay recordings from ../shared/vectors; the rest (input(), pure-loop
// interrupt, timing) check behaviour the recordings do not cover.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteCollector } from '../../testing/byte-collector.js';
import { loadVector, maskBoard, replay } from '../../testing/vectors.js';
import { SimBoard } from './sim-board.js';

const RAW_PROMPT = 'raw REPL; CTRL-B to exit\r\n>';
let filesDir: string;

beforeAll(() => {
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-sim-'));
});
afterAll(() => fs.rmSync(filesDir, { recursive: true, force: true }));

async function freshBoard(): Promise<{ board: SimBoard; rx: ByteCollector }> {
  const board = await SimBoard.start({ filesDir });
  const rx = new ByteCollector(board);
  await rx.waitForText('>>> ');
  return { board, rx };
}

/** The vectors' unrecorded preamble: interrupt, enter raw REPL, consume the prompt. */
async function enterRaw(board: SimBoard, rx: ByteCollector): Promise<void> {
  rx.clear();
  await board.write(Buffer.from('\r\x03\r\x01'));
  await rx.waitForText(RAW_PROMPT);
  rx.clear();
}

describe('simulated board: boot and friendly REPL', () => {
  let board: SimBoard;
  let rx: ByteCollector;
  beforeAll(async () => ({ board, rx } = await freshBoard()));
  afterAll(() => board.close());

  it('prints a banner naming the simulated board, with \\r\\n line ends', () => {
    expect(rx.text()).toMatch(
      /^MicroPython v1\.27\.0 on \d{4}-\d\d-\d\d; Mote Simulated Pico with RP2040-sim\r\nType "help\(\)" for more information\.\r\n>>> $/,
    );
  });

  it('echoes, auto-indents and runs a block like real firmware (friendly-repl vector)', async () => {
    rx.dispose();
    await replay(board, loadVector('friendly-repl'));
  });

  it('answers the connect sequence like real firmware (connect vector)', async () => {
    await replay(board, loadVector('connect'));
  });

  it('completes names on Tab', async () => {
    const r = new ByteCollector(board);
    await board.write(Buffer.from('impo\t'));
    await r.waitForText('import');
    await board.write(Buffer.from('\x03'));
    await r.waitForText('>>> ');
    r.dispose();
  });
});

describe('simulated board: raw REPL', () => {
  let board: SimBoard;
  let rx: ByteCollector;
  beforeAll(async () => ({ board, rx } = await freshBoard()));
  afterAll(() => board.close());

  for (const name of ['raw-exec-ok', 'raw-exec-exception', 'raw-exec-syntax-error', 'utf8-output', 'raw-paste-syntax-error', 'interrupt']) {
    it(`replays ${name}`, async () => {
      await enterRaw(board, rx);
      await replay(board, loadVector(name));
    });
  }

  it('replays raw-paste with flow control (platform line masked)', async () => {
    await enterRaw(board, rx);
    await replay(board, loadVector('raw-paste'), { normalize: (s) => maskBoard(s).replace(/platform: \w+/, 'platform: <p>') });
  });

  it('grants raw-paste credit one window at a time and never needs more than it granted', async () => {
    await enterRaw(board, rx);
    await board.write(Buffer.from('\x05A\x01'));
    const head = await rx.waitFor((b) => b.length >= 5, 2000);
    expect([...head.subarray(0, 5)]).toEqual([0x52, 0x01, 0x80, 0x00, 0x01]);
    rx.clear();
    const program = Buffer.from(Array.from({ length: 40 }, (_, i) => `x${i} = ${i} * 2  # padding padding\n`).join('') + 'print(x39)\n');
    let credit = 256;
    let sent = 0;
    let acks = 0;
    while (sent < program.length) {
      if (credit === 0) {
        await rx.waitFor((b) => b.filter((c) => c === 0x01).length > acks, 2000, 'for credit');
        acks++;
        credit += 128;
      }
      const n = Math.min(credit, 128, program.length - sent);
      await board.write(program.subarray(sent, sent + n));
      sent += n;
      credit -= n;
    }
    await board.write(Buffer.from([0x04]));
    const reply = await rx.waitFor((b) => b.toString('latin1').endsWith('\x04>'), 3000);
    const text = reply.toString('latin1').replace(/\x01/g, '');
    expect(text).toBe('\x0478\r\n\x04\x04>');
  });

  it('a missing file raises OSError [Errno 2] ENOENT, as in the fs-listing recording', async () => {
    await enterRaw(board, rx);
    const v = loadVector('fs-listing');
    const i = v.steps.findIndex((s) => s.text.includes("os.stat('/nope')"));
    await replay(board, { scenario: 'fs-listing ENOENT', steps: v.steps.slice(i, i + 3) });
  });

  it('Ctrl-C during a raw-paste transfer ends it and returns to the raw prompt', async () => {
    await enterRaw(board, rx);
    await board.write(Buffer.from('\x05A\x01'));
    await rx.waitFor((b) => b.length >= 5, 2000);
    await board.write(Buffer.from("print('never')\nx = 1\n"));
    rx.clear();
    await board.write(Buffer.from('\x03'));
    await rx.waitForText('KeyboardInterrupt: \r\n\x04>');
    rx.clear();
    await board.write(Buffer.from('print(6 * 7)\x04'));
    expect(await rx.waitForText('\x04>')).toBe('OK42\r\n\x04\x04>');
  });

  it('input() waits for bytes from the host and echoes them', async () => {
    await enterRaw(board, rx);
    await board.write(Buffer.from("s = input('name? ')\nprint('hello', s)\x04"));
    await rx.waitForText('name? ');
    await board.write(Buffer.from('Ad\xc3\xa9\r', 'latin1'));
    const out = await rx.waitForText('\x04>');
    expect(out).toBe('OKname? Adé\r\nhello Adé\r\n\x04\x04>');
  });

  it('Ctrl-C stops a sleeping program within 50 ms', async () => {
    await enterRaw(board, rx);
    await board.write(Buffer.from('import time\nwhile True:\n    time.sleep(1)\x04'));
    await rx.waitForText('OK');
    const t = performance.now();
    await board.write(Buffer.from('\x03'));
    const out = await rx.waitForText('\x04>');
    expect(performance.now() - t).toBeLessThan(50);
    expect(out).toBe('OK\x04Traceback (most recent call last):\r\n  File "<stdin>", line 3, in <module>\r\nKeyboardInterrupt: \r\n\x04>');
  });

  it('time.sleep and ticks are real time to about 1 ms', async () => {
    // Seven sleeps: never short, and the typical one within 1 ms. One sample
    // alone would measure the host's scheduler on a loaded 2-core machine.
    await enterRaw(board, rx);
    await board.write(
      Buffer.from('import time\nfor _ in range(7):\n    t = time.ticks_ms()\n    time.sleep_ms(60)\n    print(time.ticks_diff(time.ticks_ms(), t))\x04'),
    );
    await rx.waitForText('OK');
    const t0 = performance.now();
    const out = await rx.waitForText('\x04>');
    const hostMs = performance.now() - t0;
    const boardMs = out.replace(/^OK/, '').split('\x04')[0].trim().split(/\s+/).map(Number).sort((a, b) => a - b);
    expect(boardMs).toHaveLength(7);
    expect(boardMs[0]).toBeGreaterThanOrEqual(60);
    expect(boardMs[3]).toBeLessThanOrEqual(61);
    expect(hostMs).toBeGreaterThanOrEqual(7 * 60 - 5);
  });
});

describe('simulated board: resets', () => {
  it('soft reset in raw mode runs boot.py only; friendly soft reset runs boot.py and main.py (vectors)', async () => {
    const { board, rx } = await freshBoard();
    try {
      await enterRaw(board, rx);
      await replay(board, loadVector('soft-reset-raw'));
      expect(fs.readFileSync(path.join(filesDir, 'boot.py'), 'utf8')).toBe("print('boot ran')\n");
      await replay(board, loadVector('soft-reset-friendly'));
      expect(fs.existsSync(path.join(filesDir, 'boot.py'))).toBe(false);
    } finally {
      await board.close();
    }
  });

  it('a pure loop that ignores Ctrl-C is stopped within 1 s by a hard reset that keeps the files', async () => {
    const { board, rx } = await freshBoard();
    try {
      await enterRaw(board, rx);
      await board.write(Buffer.from("with open('kept.txt', 'w') as f:\n    f.write('still here')\n\x04"));
      await rx.waitForText('\x04>');
      rx.clear();
      await board.write(Buffer.from('while True:\n    pass\x04'));
      await rx.waitForText('OK');
      const t = performance.now();
      await board.write(Buffer.from('\x03'));
      await rx.waitForText('>>> ', 2000);
      expect(performance.now() - t).toBeLessThan(1000);
      expect(rx.text()).toContain('[Mote] the program did not respond to Ctrl-C');
      rx.clear();
      await board.write(Buffer.from("print(open('kept.txt').read())\r"));
      await rx.waitForText('still here\r\n>>> ');
    } finally {
      await board.close();
    }
  });

  it('files written by a program survive a hard reset and a new board on the same folder', async () => {
    const { board, rx } = await freshBoard();
    rx.clear();
    await board.write(Buffer.from("f = open('data.txt', 'w'); f.write('42'); f.close()\r"));
    await rx.waitForText('>>> ');
    await board.close();
    const again = await freshBoard();
    try {
      again.rx.clear();
      await again.board.write(Buffer.from("print(open('data.txt').read())\r"));
      await again.rx.waitForText('42\r\n>>> ');
    } finally {
      await again.board.close();
    }
  });
});

describe('simulated board: hardware', () => {
  it('drives the LED as Pin("LED"), Pin(25) and the classic Pin(2, Pin.OUT)', async () => {
    const { board, rx } = await freshBoard();
    try {
      const seen: Array<Record<number, 0 | 1>> = [];
      board.onPins((o) => seen.push({ ...o }));
      await enterRaw(board, rx);
      await board.write(Buffer.from('import machine\nled = machine.Pin("LED", machine.Pin.OUT)\nled.on()\nmachine.Pin(2, machine.Pin.OUT).on()\x04'));
      await rx.waitForText('\x04>');
      expect(board.outputs).toEqual({ 2: 1, 25: 1 });
      await board.write(Buffer.from('import machine\nmachine.Pin(25).toggle()\nprint(machine.Pin(25).value())\x04'));
      const out = await rx.waitForText('0\r\n\x04\x04>');
      expect(out.endsWith('OK0\r\n\x04\x04>')).toBe(true);
      expect(board.outputs[25]).toBe(0);
    } finally {
      await board.close();
    }
  });

  it('runs a button IRQ handler while the program sleeps', async () => {
    const { board, rx } = await freshBoard();
    try {
      await enterRaw(board, rx);
      await board.write(
        Buffer.from(
          'import machine, time\nb = machine.Pin(14, machine.Pin.IN, machine.Pin.PULL_UP)\n' +
            "b.irq(lambda p: print('pressed', p.value()), machine.Pin.IRQ_FALLING)\nprint('ready')\ntime.sleep(5)\x04",
        ),
      );
      await rx.waitForText('ready');
      board.setButton(true);
      await rx.waitForText('pressed 0', 1000);
      board.setButton(false);
      await board.write(Buffer.from('\x03'));
      await rx.waitForText('\x04>');
    } finally {
      await board.close();
    }
  });

  it('answers sys.platform, sys.implementation and os.uname() like the simulated board', async () => {
    const { board, rx } = await freshBoard();
    try {
      await enterRaw(board, rx);
      await board.write(
        Buffer.from('import os, sys\nfrom sys import platform\nprint(sys.platform, platform, os.uname().sysname, sys.implementation._machine)\x04'),
      );
      const out = await rx.waitForText('\x04>');
      expect(out).toBe('OKrp2 rp2 rp2 Mote Simulated Pico with RP2040-sim\r\n\x04\x04>');
    } finally {
      await board.close();
    }
  });
});
