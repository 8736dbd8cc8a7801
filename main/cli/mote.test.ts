// The CLI's verbs, run in-process through main() with captured output,
// against the simulated board served on a real pty (socat) and opened with
// `--port`, exactly as a USB board would be.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSimOnPty, type SimPtyServer } from '../../runtime/sim/node/sim-pty.js';
import { SerialLink } from '../../runtime/node/serial-link.js';
import { JOIN_WIFI } from '../../runtime/sim/node/net/net-test-kit.js';
import { main } from './mote.js';
import { capture } from './test-cli-io.js';

let root: string;
let server: SimPtyServer;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-cli-'));
  fs.mkdirSync(path.join(root, 'board'));
  server = await serveSimOnPty({ ptyPath: path.join(root, 'ttyBOARD'), filesDir: path.join(root, 'board') });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function mote(args: string[], stdinText?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = capture(stdinText);
  const code = await main(['--port', server.ptyPath, ...args], c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('mote verbs on a board behind --port', () => {
  it('exec and eval print results with host line ends; a board exception exits 1 with the traceback on stderr', async () => {
    expect(await mote(['exec', "for i in range(3): print('n', i)"])).toEqual({ code: 0, stdout: 'n 0\nn 1\nn 2\n', stderr: '' });
    expect(await mote(['eval', '6 * 7'])).toEqual({ code: 0, stdout: '42\n', stderr: '' });
    const bad = await mote(['exec', "print('before')\n1/0"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('before\n');
    expect(bad.stderr).toMatch(/^Traceback \(most recent call last\):\n.*\nZeroDivisionError: divide by zero\n$/s);
  });

  it('runs a local file', async () => {
    const file = path.join(root, 'hello.py');
    fs.writeFileSync(file, "import sys\nprint('hello from', sys.platform)\n");
    expect(await mote(['run', file])).toEqual({ code: 0, stdout: 'hello from rp2\n', stderr: '' });
  });

  it('copies files both ways, lists, prints and removes them', async () => {
    const local = path.join(root, 'data.bin');
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) & 0xff));
    fs.writeFileSync(local, data);
    expect((await mote(['cp', local, ':'])).code).toBe(0);
    expect(await mote(['mkdir', ':lib'])).toMatchObject({ code: 0 });
    // After the verb, -p is mkdir's own flag, not the short form of --port.
    expect(await mote(['mkdir', '-p', ':deep/er/est'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.statSync(path.join(root, 'board', 'deep', 'er', 'est')).isDirectory()).toBe(true);
    expect((await mote(['rm', '-r', ':deep'])).code).toBe(0);
    fs.writeFileSync(path.join(root, 'util.py'), 'X = 1\r\n');
    expect((await mote(['cp', path.join(root, 'util.py'), ':lib/'])).code).toBe(0);

    const listing = await mote(['ls']);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toContain(`${String(3000).padStart(10)} data.bin\n`);
    expect(listing.stdout).toContain(`${String(0).padStart(10)} lib/\n`);
    expect((await mote(['ls', ':lib'])).stdout).toBe(`${String(7).padStart(10)} util.py\n`);
    expect((await mote(['ls', '-r', ':'])).stdout).toContain(' lib/util.py\n');

    // cat keeps the file's bytes, \r\n included.
    expect(await mote(['cat', ':lib/util.py'])).toEqual({ code: 0, stdout: 'X = 1\r\n', stderr: '' });
    const back = path.join(root, 'back.bin');
    expect((await mote(['cp', ':data.bin', back])).code).toBe(0);
    expect(Buffer.compare(fs.readFileSync(back), data)).toBe(0);

    const notEmpty = await mote(['rm', ':lib']);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toMatch(/\/lib/);
    expect((await mote(['rm', '-r', ':lib', ':data.bin'])).code).toBe(0);
    expect((await mote(['ls'])).stdout).not.toMatch(/lib|data\.bin/);
  });

  it('reports a missing board file as a board error (exit 1) naming the path', async () => {
    const r = await mote(['cat', ':nope.txt']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENOENT.*\/nope\.txt/);
  });

  it('shows disk usage', async () => {
    const r = await mote(['df']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mount size used avail use%\n\/ \d+ \d+ \d+ \d+\n$/);
  });

  it('syncs a folder, moving only what changed, with --dry-run and --delete', async () => {
    const src = path.join(root, 'project');
    fs.mkdirSync(path.join(src, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(src, 'main.py'), "print('app')\n");
    fs.writeFileSync(path.join(src, 'lib', 'helper.py'), 'Y = 2\n');
    const first = await mote(['sync', src, ':app']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('uploaded /app/main.py');
    expect(first.stdout).toContain('uploaded /app/lib/helper.py');
    expect((await mote(['sync', src, ':app'])).stdout).toMatch(/^0 uploaded, 2 unchanged, 0 deleted\n$/);

    fs.rmSync(path.join(src, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(src, 'main.py'), "print('app v2')\n");
    const dry = await mote(['sync', src, ':app', '--delete', '--dry-run']);
    expect(dry.stdout).toContain('would upload /app/main.py');
    expect(dry.stdout).toContain('would delete /app/lib/helper.py');
    expect(await mote(['cat', ':app/main.py'])).toMatchObject({ stdout: "print('app')\n" });
    const real = await mote(['sync', src, ':app', '--delete']);
    expect(real.stdout).toContain('deleted /app/lib/helper.py');
    expect(await mote(['cat', ':app/main.py'])).toMatchObject({ stdout: "print('app v2')\n" });
    expect((await mote(['rm', '-r', ':app'])).code).toBe(0);
  });

  it('syncs modules compiled to .mpy with --mpy, and the board imports them', async () => {
    const src = path.join(root, 'mpy-project');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'main.py'), "print('app')\n");
    fs.writeFileSync(path.join(src, 'calc.py'), 'def twice(x):\n    return 2 * x\n');
    const r = await mote(['sync', src, ':m', '--mpy']);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('uploaded /m/calc.mpy');
    expect(r.stdout).toContain('uploaded /m/main.py');
    expect((await mote(['exec', "import sys\nsys.path.insert(0, '/m')\nimport calc\nprint(calc.twice(21), calc.__file__)"])).stdout).toBe('42 /m/calc.mpy\n');
    expect((await mote(['rm', '-r', ':m'])).code).toBe(0);
  });

  it('soft-resets and hard-resets, and the board answers afterwards', async () => {
    await mote(['exec', 'import builtins\nbuiltins.mote_marker = 1']);
    expect((await mote(['soft-reset'])).code).toBe(0);
    expect((await mote(['eval', "hasattr(__import__('builtins'), 'mote_marker')"])).stdout).toBe('False\n');
    expect((await mote(['reset'])).code).toBe(0);
    expect(await mote(['eval', '1 + 1'])).toMatchObject({ code: 0, stdout: '2\n' });
  });

  it('identifies the board', async () => {
    const r = await mote(['info', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ implementation: 'micropython', platform: 'rp2' });
    expect((await mote(['info'])).stdout).toMatch(/^implementation: micropython\nversion: 1\.27\.0\nplatform: rp2\n/);
  });

  it('runs a piped REPL session line by line and quits after the last answer', async () => {
    const r = await mote(['repl'], 'x = 21\nfor i in range(2):\n    print(x * 2 + i)\n\nprint("done")\n');
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\r\n/g, '\n');
    expect(text).toContain('42\n43\n');
    expect(text).toMatch(/print\("done"\)\ndone\n/);
  });
});

describe('mote errors and exit codes', () => {
  it('exits 2 with usage help for an unknown verb or a wrong argument', async () => {
    const c = capture();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/unknown verb 'frobnicate'[\s\S]*Usage: mote/);
    const both = await mote(['cp', 'a.py', 'b.py']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/one side must be on the board/);
    expect((await mote(['ls', '--bogus'])).code).toBe(2);
  });

  it('exits 2 naming the port when it does not exist or another program holds it', async () => {
    const c = capture();
    expect(await main(['--port', path.join(root, 'no-such-tty'), 'ls'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/no-such-tty does not exist/);
    const holder = await SerialLink.open({ path: server.ptyPath });
    try {
      const r = await mote(['ls']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/ttyBOARD is busy/);
    } finally {
      await holder.close();
    }
  });

  it('lists serial ports (tab-separated) and as JSON', async () => {
    const c = capture();
    expect(await main(['devs'], c.io)).toBe(0);
    for (const line of c.stdout().split('\n').filter(Boolean)) expect(line.split('\t')).toHaveLength(5);
    const j = capture();
    expect(await main(['devs', '--json'], j.io)).toBe(0);
    expect(Array.isArray(JSON.parse(j.stdout()))).toBe(true);
  });
});

describe('mote without --port, and mote sim', () => {
  it('uses the built-in simulated board, keeping its files in the data folder', async () => {
    const dataDir = path.join(root, 'data');
    const c = capture();
    expect(await main(['--data-dir', dataDir, 'exec', "with open('kept.txt', 'w') as f:\n    f.write('hi')"], c.io)).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'boards', 'sim-pico', 'kept.txt'), 'utf8')).toBe('hi');
    const l = capture();
    expect(await main(['--data-dir', dataDir, 'ls'], l.io)).toBe(0);
    expect(l.stdout()).toContain(' kept.txt\n');
  });

  it('simulates the board model --board names, with its own files, and refuses an unknown model', async () => {
    const dataDir = path.join(root, 'data');
    const c = capture();
    const code = "import sys\nprint(sys.platform)\nwith open('esp.txt', 'w') as f:\n    f.write('x')";
    expect(await main(['--data-dir', dataDir, '--board', 'esp32-devkitc', 'exec', code], c.io)).toBe(0);
    expect(c.stdout()).toBe('esp32\n');
    expect(fs.existsSync(path.join(dataDir, 'boards', 'esp32-devkitc', 'esp.txt'))).toBe(true);
    const bad = capture();
    expect(await main(['--board', 'uno', 'exec', '1'], bad.io)).toBe(2);
    expect(bad.stderr()).toContain("unknown --board 'uno'");
  });

  it('keeps the simulated board on private networks unless --sim-allow-public is given', async () => {
    const dataDir = path.join(root, 'data');
    const program = [
      JOIN_WIFI,
      's = socket.socket()',
      's.settimeout(0.5)',
      'try:',
      "    s.connect(('203.0.113.7', 9))",
      "    print('connected')",
      'except OSError as e:',
      "    print('errno', e.args[0])",
    ].join('\n');
    const closed = capture();
    expect(await main(['--data-dir', dataDir, '--board', 'pico-w', 'exec', program], closed.io)).toBe(0);
    expect(closed.stdout()).toContain('errno 13');
    const open = capture();
    expect(await main(['--data-dir', dataDir, '--board', 'pico-w', '--sim-allow-public', 'exec', program], open.io)).toBe(0);
    // Whether the attempt then connects or fails depends on the machine's network; it must not be refused.
    expect(open.stdout()).toMatch(/connected|errno \d+/);
    expect(open.stdout()).not.toContain('errno 13');
  });

  it('turns Ctrl-C into KeyboardInterrupt on the board (exit 1), and gives up on a second one', async () => {
    const dataDir = path.join(root, 'data-ctrl-c');
    const c = capture();
    const done = main(['--data-dir', dataDir, 'exec', "import time\nprint('started')\nwhile True:\n    time.sleep_ms(10)"], c.io);
    await c.waitForStdout('started\n');
    c.interrupt();
    expect(await done).toBe(1);
    expect(c.stderr()).toMatch(/KeyboardInterrupt/);

    const stubborn = "import time\nprint('started')\nwhile True:\n    try:\n        time.sleep_ms(10)\n    except KeyboardInterrupt:\n        print('caught')";
    const s = capture();
    const running = main(['--data-dir', dataDir, 'exec', stubborn], s.io);
    await s.waitForStdout('started\n');
    s.interrupt();
    await s.waitForStdout('caught\n');
    s.interrupt();
    expect(await running).toBe(2);
    expect(s.stderr()).toMatch(/gave up after a second Ctrl-C/);
  });

  it('serves the simulated board on a pty until Ctrl-C, printing the path', async () => {
    const dataDir = path.join(root, 'data-sim');
    const pty = path.join(root, 'ttySERVED');
    const served = capture();
    const done = main(['--data-dir', dataDir, 'sim', '--pty', pty], served.io);
    await served.waitForStdout(`${pty}\n`);
    const c = capture();
    expect(await main(['--port', pty, 'eval', "'via pty'"], c.io)).toBe(0);
    expect(c.stdout()).toBe('via pty\n');
    served.interrupt();
    expect(await done).toBe(0);
    expect(fs.existsSync(pty)).toBe(false);
  });
});
