// Board profiles through the real back end and simulated board: listing them,
// new projects for a board, switching a project's board, and the choice
// surviving a restart of the back end.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoteEvents, ProjectInfo } from '../common/api.js';
import { createBackend, type DisposableBackend } from './ide-backend.js';

let tmp: string;
let projectDir: string;
let dataDir: string;
let backend: DisposableBackend | null = null;
let terminal = '';
const projectEvents: ProjectInfo[] = [];

function sink<E extends keyof MoteEvents>(event: E, payload: MoteEvents[E]): void {
  if (event === 'terminalData') terminal += Buffer.from(payload as Uint8Array).toString('utf8');
  if (event === 'projectChanged') projectEvents.push(payload as ProjectInfo);
}

async function start(dir = projectDir): Promise<DisposableBackend> {
  backend = await createBackend({ projectDir: dir, dataDir }, sink as never);
  return backend;
}

/** Runs a program on the board and returns what it printed. */
async function output(b: DisposableBackend, source: string): Promise<string> {
  const before = terminal.length;
  const r = await b.run(source, 'probe.py');
  const text = terminal.slice(before).replace(/\r\n/g, '\n');
  expect(r.ok, text).toBe(true);
  return text;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-profiles-'));
  projectDir = path.join(tmp, 'projects', 'first');
  dataDir = path.join(tmp, 'data');
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(path.join(projectDir, 'main.py'), 'print("old project")\n');
  await start();
});

afterAll(async () => {
  await backend?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('board profiles in the back end', () => {
  it('lists the Pico W, the ESP32-DevKitC and the simulated Pico, each with its labelled picture', async () => {
    const list = await backend!.listBoardProfiles();
    expect(list.map((p) => [p.id, p.name, p.platform])).toEqual([
      ['pico-w', 'Raspberry Pi Pico W', 'rp2'],
      ['esp32-devkitc', 'ESP32-DevKitC', 'esp32'],
      ['sim-pico', 'Mote Simulated Pico', 'rp2'],
    ]);
    for (const p of list) {
      expect(p.svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(p.svg).toContain('data-testid="led"');
      expect(p.svg).toContain('data-testid="board-button"');
      for (const g of p.gpios) expect(p.svg, `${p.id} labels GPIO ${g}`).toContain(`data-gpio="${g}"`);
    }
    const esp = list[1];
    expect(esp.gpios).not.toContain(20);
    expect(esp.leds).toEqual([{ name: 'LED', gpio: 2, color: '#4aa8ff' }]);
    expect(esp.buttons).toEqual([{ name: 'BOOT', gpio: 0 }]);
    expect(list[0].gpios).toEqual([...Array(23).keys(), 26, 27, 28]);
    expect(list[0].description).toMatch(/^RP2040 · 26 GPIO · 3 ADC · 192 KB free/);
  });

  it('gives a project without settings the simulated Pico, as before profiles existed', async () => {
    expect((await backend!.getBoardProfile()).id).toBe('sim-pico');
    expect((await backend!.getBoardStatus()).boardName).toBe('Mote Simulated Pico');
  });

  it('treats a settings file broken by hand, or naming a board it does not know, as no choice', async () => {
    const file = path.join(projectDir, '.mote', 'project.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ "boardProfile": ');
    expect((await backend!.getBoardProfile()).id).toBe('sim-pico');
    fs.writeFileSync(file, '{ "boardProfile": "arduino-uno" }');
    expect((await backend!.getBoardProfile()).id).toBe('sim-pico');
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('creates a project for the ESP32 next to the current one, opens it and restarts the simulator as an ESP32', async () => {
    const info = await backend!.newProject({ name: 'Weather station', profile: 'esp32-devkitc' });
    const dir = path.join(tmp, 'projects', 'Weather station');
    expect(info).toEqual({ root: dir, files: ['main.py'] });
    expect(projectEvents.at(-1)).toEqual(info);
    const main = fs.readFileSync(path.join(dir, 'main.py'), 'utf8');
    expect(main).toContain('led = Pin(2, Pin.OUT)');
    expect(main).toContain('button = Pin(0, Pin.IN, Pin.PULL_UP)');
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.mote', 'project.json'), 'utf8'))).toEqual({ boardProfile: 'esp32-devkitc' });
    expect((await backend!.getProject()).root).toBe(dir);
    expect((await backend!.getBoardProfile()).id).toBe('esp32-devkitc');
    expect((await backend!.getBoardStatus()).boardName).toBe('Generic ESP32 module');
    expect(await output(backend!, 'import sys\nprint(sys.platform, sys.implementation._machine)')).toContain('esp32 Generic ESP32 module with ESP32\n');
    // The starter program runs as it is on this board.
    const r = await backend!.run(main.replace('while True:', 'for _ in range(2):').replace('time.sleep(0.5)', 'time.sleep(0.01)'), 'main.py');
    expect(r).toMatchObject({ ok: true, error: null });
  });

  it('refuses a taken name, a name that is not a plain folder name, and an unknown board', async () => {
    await expect(backend!.newProject({ name: 'Weather station', profile: 'pico-w' })).rejects.toThrow(
      `A project named "Weather station" already exists in ${path.join(tmp, 'projects')}`,
    );
    await expect(backend!.newProject({ name: '../escape', profile: 'pico-w' })).rejects.toThrow(/^Project name must be 1-64 letters/);
    await expect(backend!.newProject({ name: '', profile: 'pico-w' })).rejects.toThrow(/^Project name must be/);
    await expect(backend!.newProject({ name: 'ok', profile: 'uno' })).rejects.toThrow(/^Unknown board "uno"\. Pick one of: pico-w \(Raspberry Pi Pico W\)/);
    await expect(backend!.setBoardProfile('uno')).rejects.toThrow(/^Unknown board "uno"/);
    expect(fs.existsSync(path.join(tmp, 'escape'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'projects', 'ok'))).toBe(false);
  });

  it('switches the project to the Pico W, keeping each board model’s files apart', async () => {
    await backend!.upload('print("esp")\n', 'only_on_esp.py');
    const status = await backend!.setBoardProfile('pico-w');
    expect(status.boardName).toBe('Raspberry Pi Pico W');
    expect(await output(backend!, 'import os\nprint(os.uname().machine)\nprint(sorted(os.listdir("/")))')).toMatch(/Raspberry Pi Pico W with RP2040\n\[[^\]]*\]\n/);
    expect((await backend!.listBoardFiles()).map((f) => f.path)).not.toContain('/only_on_esp.py');
    const targets = await backend!.listTargets();
    expect(targets[0]).toMatchObject({ id: 'sim', label: 'Raspberry Pi Pico W (simulated)' });
  });

  it('remembers the project’s board across a restart of the back end', async () => {
    const dir = (await backend!.getProject()).root;
    await backend!.dispose();
    backend = null;
    const again = await start(dir);
    expect((await again.getBoardProfile()).id).toBe('pico-w');
    expect((await again.getBoardStatus()).boardName).toBe('Raspberry Pi Pico W');
    expect(await output(again, 'import sys\nprint(sys.platform)')).toContain('rp2\n');
    // Back on the ESP32, its files are still there.
    await again.setBoardProfile('esp32-devkitc');
    expect((await again.listBoardFiles()).map((f) => f.path)).toContain('/only_on_esp.py');
  });
});
