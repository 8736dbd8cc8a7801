// DEVELOPMENT ONLY: an in-page stand-in for the back end, used by `vite` dev
// server when the URL has `?fake` (see connect.ts). It is not the simulator; it
// fakes just enough (a line-echoing REPL, a blinking LED, a traceback when the
// code contains `oops`) to look at the UI without the real back end.

import type {
  BoardFile,
  BoardStatus,
  CodeLocation,
  MoteApi,
  MoteEventName,
  MoteEvents,
  PinSnapshot,
  ProjectInfo,
  RunOutcome,
} from '../../../main/common/api';
import { DEFAULT_INPUTS, EMPTY_VIEW, type BoardView, type SimInputs } from '../../../runtime/sim/common/board-view';
import { fakeFleet } from './fake-fleet';
import { fakePackages } from '../packages/fake-packages';
import { fakeFlash } from '../flash/fake-flash';
import { fakeWorkbench } from './fake-workbench';

type Listener = (payload: never) => void;

export function createFakeApi(): MoteApi {
  const listeners = new Map<MoteEventName, Set<Listener>>();
  const emit = <E extends MoteEventName>(event: E, payload: MoteEvents[E]) => {
    for (const l of listeners.get(event) ?? []) (l as (p: MoteEvents[E]) => void)(payload);
  };
  const enc = new TextEncoder();
  const out = (text: string) => emit('terminalData', enc.encode(text.replace(/\r?\n/g, '\r\n')));

  const project = new Map<string, string>([
    ['main.py', 'from machine import Pin\nimport time\n\nled = Pin(25, Pin.OUT)\nwhile True:\n    led.toggle()\n    time.sleep(0.5)\n'],
    ['lib/sensor.py', 'def read():\n    return 42\n'],
    ['blink_fast.py', 'from machine import Pin\nimport time\nled = Pin(25, Pin.OUT)\nfor i in range(100):\n    led.toggle()\n    oops(i)\n'],
  ]);
  const boardFiles = new Map<string, string>([
    ['boot.py', '# boot.py\n'],
    ['main.py', 'print("hello from main.py")\n'],
  ]);
  let status: BoardStatus = { boardName: 'Mote Simulated Pico', version: 'MicroPython v1.27.0', state: 'booting', connection: 'Simulator' };
  const outputs: Record<number, 0 | 1> = {};
  let button = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let finish: ((o: RunOutcome) => void) | null = null;
  let line = '';

  const setStatus = (s: Partial<BoardStatus>) => {
    status = { ...status, ...s };
    emit('boardStatus', status);
  };
  let parts: Omit<BoardView, 'outputs'> = EMPTY_VIEW;
  const inputs: SimInputs = { ...DEFAULT_INPUTS, adc: { 26: 20000, 27: 41000, 28: 0 }, pinLevels: {} };
  const pins = (): PinSnapshot => ({ ...parts, outputs: { ...outputs }, buttonPressed: button, inputs: { ...inputs } });
  const info = (): ProjectInfo => ({ root: '/home/ada/mote-projects/blinky', files: [...project.keys()].sort() });

  setTimeout(() => {
    // A UTF-8 character split across two events, as a serial read can do.
    const banner = enc.encode('MicroPython v1.27.0 on 2025-11-01; Mote Simulated Pico with RP2040 — µPython ✓\r\n');
    const cut = banner.indexOf(0xc2) + 1;
    emit('terminalData', banner.slice(0, cut));
    emit('terminalData', banner.slice(cut));
    out('Type "help()" for more information.\n>>> ');
    setStatus({ state: 'ready' });
  }, 150);

  const stopProgram = (interrupted: boolean) => {
    if (timer) clearInterval(timer);
    timer = null;
    if (finish) {
      const f = finish;
      finish = null;
      if (interrupted) out('Traceback (most recent call last):\n  File "<stdin>", line 6, in <module>\nKeyboardInterrupt: \n');
      f({ ok: !interrupted, interrupted, error: null });
      out('>>> ');
      setStatus({ state: 'ready' });
    }
  };

  const api: MoteApi = {
    async getProject() {
      return info();
    },
    async readProjectFile(path) {
      const text = project.get(path);
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
    async writeProjectFile(path, text) {
      if (path.includes('fail')) throw new Error(`EACCES: permission denied, open '${path}'`);
      const isNew = !project.has(path);
      project.set(path, text);
      if (isNew) emit('projectChanged', info());
    },
    async getBoardStatus() {
      return status;
    },
    async getTerminalHistory() {
      return new Uint8Array(0);
    },
    async getPins() {
      return pins();
    },
    async terminalInput(data) {
      for (const ch of data) {
        if (ch === '\r') {
          out(`\n${line ? `${line}\n` : ''}>>> `);
          line = '';
        } else if (ch === '\x03') {
          stopProgram(true);
        } else if (ch === '\x7f') {
          if (line) {
            line = line.slice(0, -1);
            out('\b \b');
          }
        } else {
          line += ch;
          out(ch);
        }
      }
    },
    async run(source, file) {
      stopProgram(true);
      emit('runError', null);
      setStatus({ state: 'running' });
      const lines = source.split('\n');
      const bad = lines.findIndex((l) => l.includes('oops'));
      out(`\n`);
      if (bad >= 0) {
        await new Promise((r) => setTimeout(r, 300));
        const error: CodeLocation = { file, line: bad + 1, message: "NameError: name 'oops' isn't defined" };
        out(`Traceback (most recent call last):\n  File "${file}", line ${bad + 1}, in <module>\n${error.message}\n>>> `);
        emit('runError', error);
        setStatus({ state: 'ready' });
        return { ok: false, interrupted: false, error };
      }
      out('Running…\n');
      let n = 0;
      timer = setInterval(() => {
        // A flood: 20 pin events per tick.
        for (let i = 0; i < 21; i++) {
          outputs[25] = outputs[25] === 1 ? 0 : 1;
          emit('pins', pins());
        }
        outputs[2] = (n & 1) as 0 | 1;
        outputs[3] = 0;
        const { line: plotLine, ...view } = fakeWorkbench(n, inputs);
        parts = view;
        out(plotLine);
        emit('pins', pins());
        if (++n % 10 === 0) out(`tick ${n / 10} — button ${button ? 'pressed' : 'released'}\n`);
      }, 50);
      return new Promise<RunOutcome>((resolve) => (finish = resolve));
    },
    async stop() {
      stopProgram(true);
    },
    async softReset() {
      stopProgram(true);
      setStatus({ state: 'resetting' });
      await new Promise((r) => setTimeout(r, 200));
      out('\nMPY: soft reboot\n>>> ');
      setStatus({ state: 'ready' });
    },
    async hardReset() {
      return api.softReset();
    },
    async upload(text, boardPath) {
      boardFiles.set(boardPath, text);
    },
    async listBoardFiles(): Promise<BoardFile[]> {
      return [...boardFiles].map(([path, text]) => ({ path, size: enc.encode(text).length, isDir: false })).concat([{ path: 'lib', size: 0, isDir: true }]);
    },
    async readBoardFile(path) {
      const text = boardFiles.get(path);
      if (text === undefined) throw new Error(`OSError: [Errno 2] ENOENT: ${path}`);
      return text;
    },
    async deleteBoardFile(path) {
      if (!boardFiles.delete(path)) throw new Error(`OSError: [Errno 2] ENOENT: ${path}`);
    },
    async setButton(pressed) {
      button = pressed;
      emit('pins', pins());
    },
    async listTargets() {
      return [{ id: 'sim', label: 'Mote Simulated Pico', kind: 'sim', likely: true, busy: null }];
    },
    async connectTarget() {
      return status;
    },
    async connectWebRepl() {
      throw new Error('the demo back end has no WebREPL boards');
    },
    async webReplSetupPreview() {
      throw new Error('the demo back end cannot set up WebREPL');
    },
    async webReplSetupApply() {
      throw new Error('the demo back end cannot set up WebREPL');
    },
    async mkdirBoard(path) {
      boardFiles.set(`${path}/.keep`, '');
    },
    async renameBoard(from, to) {
      const text = boardFiles.get(from);
      if (text === undefined) throw new Error(`OSError: [Errno 2] ENOENT: ${from}`);
      boardFiles.delete(from);
      boardFiles.set(to, text);
    },
    async uploadProjectFile(projectPath, boardPath) {
      boardFiles.set(boardPath, await api.readProjectFile(projectPath));
    },
    async downloadBoardFile(boardPath, projectPath) {
      await api.writeProjectFile(projectPath, await api.readBoardFile(boardPath));
    },
    async syncPreview() {
      const files = (await api.getProject()).files;
      const entry = (p: string) => ({ path: p, remotePath: `/${p}`, size: 0 });
      return { upload: files.map(entry), unchanged: [], delete: [] };
    },
    async syncApply() {
      const plan = await api.syncPreview({ compileMpy: false });
      for (const f of plan.upload) boardFiles.set(f.path, await api.readProjectFile(f.path));
      return plan;
    },
    async cancelTransfer() {},
    async setSimInput(i) {
      if (i.kind === 'adc') inputs.adc = { ...inputs.adc, [i.pin]: i.value };
      else if (i.kind === 'sensor') inputs[i.quantity] = i.value;
      else if (i.kind === 'pin') {
        const levels = { ...inputs.pinLevels };
        if (i.level === null) delete levels[i.pin];
        else levels[i.pin] = i.level;
        inputs.pinLevels = levels;
      }
      emit('pins', pins());
    },
    async listBoardProfiles() {
      return [];
    },
    async getBoardProfile() {
      throw new Error('the fake back end has no board profiles');
    },
    async setBoardProfile() {
      return status;
    },
    async newProject() {
      throw new Error('the fake back end cannot create projects');
    },
    async listExamples() {
      return [];
    },
    async readExample() {
      return '';
    },
    async openExample() {
      throw new Error('the fake back end has no examples');
    },
    ...fakeFleet(),
    ...fakePackages(emit),
    ...fakeFlash(emit),
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
  return api;
}
