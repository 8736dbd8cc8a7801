// The WebREPL set-up wizard's steps: the merge of boot.py and its diff as
// pure functions, and the whole set-up on the simulated board (real
// interpreter, its simulated Wi-Fi), as over USB.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BoardFs } from '../board-fs.js';
import { BoardSession } from '../board-session.js';
import { connectBoard } from '../board-connect.js';
import { SimBoard } from '../../sim/node/sim-board.js';
import { drainSpares } from '../../sim/node/worker-pool.js';
import { BOOT_BEGIN, applySetup, lineDiff, mergeBootPy, previewSetup, setupProblem, webreplCfgSource } from './setup.js';

const SETUP = { ssid: "Cafe 'Le Wi-Fi'", wifiPassword: 'croissant', webreplPassword: 'pw1234' };

describe('boot.py merge', () => {
  it('keeps the user code, adds the block once, and replaces it on a second run', () => {
    const mine = 'import gc\ngc.collect()\n';
    const once = mergeBootPy(mine, SETUP);
    expect(once.startsWith(mine)).toBe(true);
    expect(once).toContain(`w.connect("Cafe 'Le Wi-Fi'", "croissant")`);
    const twice = mergeBootPy(once, { ...SETUP, ssid: 'home' });
    expect(twice.split(BOOT_BEGIN)).toHaveLength(2);
    expect(twice).toContain('w.connect("home", "croissant")');
    expect(twice.startsWith(mine)).toBe(true);
    const diff = lineDiff(mine, once);
    expect(diff.filter((l) => l.op === '-')).toEqual([]);
    expect(diff.slice(0, 2)).toEqual([
      { op: ' ', text: 'import gc' },
      { op: ' ', text: 'gc.collect()' },
    ]);
    expect(lineDiff(once, twice).filter((l) => l.op !== ' ').map((l) => l.op)).toEqual(['+', '-']);
  });

  it('quotes the password for webrepl_cfg.py and checks the settings', () => {
    expect(webreplCfgSource('a"b\\c')).toBe('PASS = "a\\"b\\\\c"\n');
    expect(setupProblem({ ...SETUP, webreplPassword: 'abc' })).toMatch(/4 to 9/);
    expect(setupProblem({ ...SETUP, wifiPassword: 'short' })).toMatch(/8 to 63/);
    expect(setupProblem({ ...SETUP, ssid: '' })).toMatch(/SSID/);
    expect(setupProblem(SETUP)).toBeNull();
  });
});

describe('set-up on the simulated board', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-webrepl-setup-'));
  afterAll(async () => {
    await drainSpares();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('previews the diff, writes webrepl_cfg.py and boot.py, joins Wi-Fi, reads the IP and reboots', async () => {
    fs.writeFileSync(path.join(dir, 'boot.py'), "print('my boot')\n");
    const board = await SimBoard.start({ filesDir: dir });
    try {
      await connectBoard(board, { identify: false });
      const session = new BoardSession(board);
      const bfs = new BoardFs(session);
      const preview = await previewSetup(bfs, SETUP);
      expect(preview.bootBefore).toBe("print('my boot')\n");
      expect(preview.diff[0]).toEqual({ op: ' ', text: "print('my boot')" });
      const steps: string[] = [];
      const { ip, url } = await applySetup(bfs, session, SETUP, (s) => steps.push(s));
      expect(steps).toEqual(['write-files', 'join-wifi', 'reboot']);
      expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(url).toBe(`ws://${ip}:8266/`);
      expect(fs.readFileSync(path.join(dir, 'webrepl_cfg.py'), 'utf8')).toBe('PASS = "pw1234"\n');
      expect(fs.readFileSync(path.join(dir, 'boot.py'), 'utf8')).toBe(preview.bootAfter);
    } finally {
      await board.close();
    }
  });
});
