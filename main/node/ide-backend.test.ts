// The back end on a real simulated board: what the IDE's buttons do.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLocation, MoteEvents } from '../common/api.js';
import { createBackend, type DisposableBackend } from './ide-backend.js';

let dir: string;
let backend: DisposableBackend;
let terminal = '';
const errors: Array<CodeLocation | null> = [];
const waiters = new Set<() => void>();

function waitForTerminal(text: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!terminal.includes(text)) return;
      waiters.delete(check);
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`terminal never showed ${JSON.stringify(text)}; it shows ${JSON.stringify(terminal.slice(-300))}`));
    }, timeoutMs);
    waiters.add(check);
    check();
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-backend-'));
  fs.mkdirSync(path.join(dir, 'project', 'lib'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'project', 'lib', 'helper.py'), 'def boom():\n    x = 1\n    return x / 0\n');
  backend = await createBackend({ projectDir: path.join(dir, 'project'), dataDir: path.join(dir, 'data') }, (<E extends keyof MoteEvents>(
    event: E,
    payload: MoteEvents[E],
  ) => {
    if (event === 'terminalData') {
      terminal += Buffer.from(payload as Uint8Array).toString('utf8');
      for (const w of [...waiters]) w();
    }
    if (event === 'runError') errors.push(payload as CodeLocation | null);
  }) as never);
  await waitForTerminal('>>> ');
});

afterAll(async () => {
  await backend.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('IDE back end on the simulated board', () => {
  it('runs the editor buffer and streams its output to the terminal', async () => {
    const r = await backend.run("for i in range(3):\n    print('line', i)\n", 'main.py');
    expect(r).toEqual({ ok: true, interrupted: false, error: null });
    await waitForTerminal('line 2\r\n>>> ');
  });

  it('points an exception at the line of the file that was run', async () => {
    const r = await backend.run('a = 1\nb = 0\nprint(a / b)\n', 'main.py');
    expect(r.ok).toBe(false);
    expect(r.error).toEqual({ file: 'main.py', line: 3, message: 'ZeroDivisionError: divide by zero' });
    expect(errors.at(-1)).toEqual(r.error);
  });

  it('points a syntax error at its line', async () => {
    const r = await backend.run('print(1)\nif True\n    pass\n', 'main.py');
    expect(r.error).toEqual({ file: 'main.py', line: 2, message: 'SyntaxError: invalid syntax' });
  });

  it('points into another project file when the error is raised there', async () => {
    await backend.upload(fs.readFileSync(path.join(dir, 'project', 'lib', 'helper.py'), 'utf8'), 'lib/helper.py');
    const r = await backend.run('import helper\nhelper.boom()\n', 'main.py');
    expect(r.error).toEqual({ file: 'lib/helper.py', line: 3, message: 'ZeroDivisionError: divide by zero' });
  });

  it('Stop interrupts a running program with KeyboardInterrupt', async () => {
    const run = backend.run('import time\nprint("start")\nwhile True:\n    time.sleep(0.1)\n', 'main.py');
    await waitForTerminal('start');
    await backend.stop();
    const r = await run;
    expect(r.interrupted).toBe(true);
    expect(r.error).toBeNull();
    await waitForTerminal('KeyboardInterrupt');
  });

  it('pressing Run while a program runs stops it first', async () => {
    const first = backend.run('import time\nprint("first")\nwhile True:\n    time.sleep(0.1)\n', 'main.py');
    await waitForTerminal('first');
    const second = await backend.run('print("second")\n', 'main.py');
    expect((await first).interrupted).toBe(true);
    expect(second.ok).toBe(true);
    await waitForTerminal('second');
  });

  it('uploads, lists, reads and deletes board files, names with spaces and quotes included', async () => {
    const name = "it's 世界.py";
    await backend.upload('print("hi")\n', name);
    const files = await backend.listBoardFiles();
    expect(files).toContainEqual({ path: `/${name}`, size: 12, isDir: false });
    expect(await backend.readBoardFile(`/${name}`)).toBe('print("hi")\n');
    await backend.deleteBoardFile(`/${name}`);
    expect((await backend.listBoardFiles()).map((f) => f.path)).not.toContain(`/${name}`);
  });

  it('keeps project paths inside the project folder', async () => {
    await expect(backend.readProjectFile('/etc/passwd')).rejects.toThrow(/outside the project/);
    await backend.writeProjectFile('main.py', 'print(1)\n');
    expect(await backend.readProjectFile('main.py')).toBe('print(1)\n');
    expect((await backend.getProject()).files).toContain('main.py');
  });

  it('Reset soft-resets: boot.py and main.py run in a fresh interpreter, then the banner', async () => {
    await backend.upload("print('main says hi')\n", 'main.py');
    await backend.terminalInput('x = 5\r');
    terminal = '';
    await backend.softReset();
    await waitForTerminal('MPY: soft reboot\r\nmain says hi\r\nMicroPython v1.27.0');
    await waitForTerminal('>>> ');
    terminal = '';
    await backend.terminalInput('x\r');
    await waitForTerminal("NameError: name 'x' isn't defined");
    await backend.deleteBoardFile('/main.py');
  });

  it('hard reset restarts the board and keeps its files', async () => {
    await backend.upload('kept\n', 'notes.txt');
    terminal = '';
    await backend.hardReset();
    await waitForTerminal('Mote Simulated Pico with RP2040-sim');
    await waitForTerminal('>>> ');
    expect(await backend.readBoardFile('/notes.txt')).toBe('kept\n');
  });

  it('the terminal REPL evaluates 1+1', async () => {
    terminal = '';
    await backend.terminalInput('1+1\r');
    await waitForTerminal('1+1\r\n2\r\n>>> ');
  });
});
