// Entry of a simulated board's worker thread: one real MicroPython (wasm)
// interpreter, its virtual serial line and its virtual hardware. The host
// loads a worker ahead of time ("loaded"), then sends "boot".

import { parentPort, workerData } from 'node:worker_threads';
import { boardModuleSource } from '../common/board-profile.js';
import { Ctl, type BootMode, type BootRequest, type HostToWorker, type WorkerInit, type WorkerToHost } from '../common/sim-protocol.js';
import { RingReader } from '../common/stdin-ring.js';
import { BoardFiles, PRIVATE_DIR, type EmFS } from './board-files.js';
import { HwBridge } from './hw-bridge.js';
import { HostCaller } from './host-call.js';
import type { BridgeContext } from './bridge-context.js';
import { PERIPHERALS } from './peripherals.js';
import { InputsReader } from '../common/live-inputs.js';
import { ViewPoster, emptyView } from './view-poster.js';
import { capWasmMemory, useCompiledWasm } from './wasm-hooks.js';
import { OutputStream } from './output-stream.js';
import { SerialFrontend } from './serial-frontend.js';

interface MicroPython {
  FS: EmFS;
  _module: {
    _mp_sched_keyboard_interrupt(): void;
    // Emscripten's accessors: the port does not export HEAPU8 (touching it aborts).
    getValue(ptr: number, type: 'i8'): number;
    setValue(ptr: number, value: number, type: 'i8'): void;
  };
  registerJsModule(name: string, module: object): void;
  runPython(code: string): unknown;
  replInit(): void;
  replProcessChar(c: number): number;
}

// A variable keeps TypeScript from looking for type declarations the package does not ship.
const MICROPYTHON_MODULE: string = '@micropython/micropython-webassembly-pyscript/micropython.mjs';
const init = workerData as WorkerInit;
const port = parentPort!;
const post = (m: WorkerToHost) => port.postMessage(m);
const ring = new RingReader(init.shared);
const inputs = new InputsReader(init.shared.inputs);
// Ends the worker's life when the host must reset the board: the host
// terminates this thread, so we only need to stop running Python.
const parked = new Int32Array(new SharedArrayBuffer(4));
const park = (): never => {
  for (;;) Atomics.wait(parked, 0, 0);
};

capWasmMemory(init.memoryCap, (bytes) => {
  post({ type: 'out-of-memory', bytes });
  return park();
});

const out = new OutputStream((data) => post({ type: 'output', data }));
useCompiledWasm(init.wasmModule);
const { loadMicroPython } = (await import(MICROPYTHON_MODULE)) as {
  loadMicroPython(opts: object): Promise<MicroPython>;
};
const mp = await loadMicroPython({
  stdout: (data: Uint8Array | string) => out.write(data),
  stderr: (data: Uint8Array | string) => out.write(data),
  linebuffer: false,
});
post({ type: 'loaded' });

const boot = await new Promise<BootRequest>((resolve) => port.once('message', (m: HostToWorker) => resolve(m)));
const profile = boot.profile;
out.setMachine(`${profile.name} with ${profile.mcu}`);

/** The simulator's Python helpers, reached without a name in the user's globals. */
const BOOT = "__import__('mote_boot')";
let pasteSource = '';
let bridgeResult = -1;
const requestReset = (mode: BootMode, hard: boolean, cause?: number): never => {
  // The last words ("MPY: soft reboot") travel with the reset, so the host
  // holds new input for the next interpreter before anyone can see them.
  post({ type: 'reset', mode, hard, output: out.take(), ...(cause !== undefined ? { cause } : {}) });
  return park();
};
const view = new ViewPoster(
  () => {
    const v = emptyView();
    bridge.contribute(v);
    for (const p of peripherals) p.contribute?.(v);
    return v;
  },
  (v) => post({ type: 'view', view: v }),
);
const bridge: HwBridge = new HwBridge({
  ring,
  inputs,
  out,
  profile,
  view,
  raiseKeyboardInterrupt: () => mp._module._mp_sched_keyboard_interrupt(),
  postInterruptAck: () => post({ type: 'interrupt-ack' }),
  requestReset,
  resetCause: boot.resetCause,
  pasteSource: () => pasteSource,
  result: (n) => (bridgeResult = n),
  hostCall: (service, request, bytes, timeoutMs) => hostCaller.call(service, request, bytes, timeoutMs),
  pinChanged: (pin, level) => {
    for (const p of peripherals) p.onPinChange?.(pin, level);
  },
});
const hostCaller: HostCaller = new HostCaller(init.shared.mailbox, ring, post, () => bridge.checkInterrupt());
mp.registerJsModule('_mote_hw', bridge.module());
const buttonGpio = new Map(profile.buttons.map((b) => [b.name, b.gpio]));
const peripheralContext: BridgeContext = {
  profile,
  memory: {
    read(addr, len) {
      const out = new Uint8Array(len);
      for (let i = 0; i < len; i++) out[i] = mp._module.getValue(addr + i, 'i8');
      return out;
    },
    write(addr, data) {
      for (let i = 0; i < data.length; i++) mp._module.setValue(addr + i, data[i], 'i8');
    },
  },
  inputs: {
    adc: (gpio) => inputs.adc(gpio),
    pinLevel: (gpio) => inputs.pinLevel(gpio),
    button: (name) => inputs.buttonHeld(buttonGpio.get(name) ?? -1),
    temperature: () => inputs.temperature(),
    humidity: () => inputs.humidity(),
  },
  checkInterrupt: () => bridge.checkInterrupt(),
  waitHost: (ms) => ring.waitForWake(ring.wakeCount(), ms),
  markViewDirty: () => view.markDirty(),
  hostCall: (service, request, bytes, timeoutMs) => hostCaller.call(service, request, bytes, timeoutMs),
};
const peripherals = PERIPHERALS.map((make) => make(peripheralContext));
for (const p of peripherals) mp.registerJsModule(p.name, p.module());

const files = new BoardFiles(mp.FS, boot.filesDir);
installBoardModules();
files.load();
files.installWriteThrough();

const frontend = new SerialFrontend({
  replProcessChar: (c) => mp.replProcessChar(c),
  out,
  syntaxErrorLine: (src) => {
    pasteSource = src;
    bridgeResult = -1;
    // runPython does not return values, so the answer comes back through the bridge.
    runQuiet(`${BOOT}.check_paste()`);
    return bridgeResult;
  },
  requestReset: (mode) => requestReset(mode, false),
});

runBootScripts(boot.mode);
startRepl(boot.mode);
post({ type: 'ready' });
serveForever();

/**
 * Puts the simulator's Python modules where the board's frozen modules would
 * be: on sys.path right after the current folder, hidden from listings, so
 * modules such as `network` load on first import as on a board.
 */
function installBoardModules(): void {
  mp.FS.mkdir(PRIVATE_DIR);
  const modules = { ...init.pythonModules, '_mote_board.py': boardModuleSource(profile) };
  for (const [name, src] of Object.entries(modules)) mp.FS.writeFile(`${PRIVATE_DIR}/${name}`, src);
  // Imported without binding names, so the user's globals stay as on a board.
  mp.runPython(`import sys\nsys.path.insert(1, '${PRIVATE_DIR}')\n__import__('mote_boot')\ndel sys`);
}

function runQuiet(expr: string): unknown {
  try {
    return mp.runPython(expr);
  } catch {
    return null;
  }
}

function runBootScripts(mode: BootMode): void {
  runQuiet(`${BOOT}.run_file('boot.py')`);
  if (mode === 'power-on' || mode === 'soft-friendly') runQuiet(`${BOOT}.run_file('main.py')`);
  out.flush();
}

function startRepl(mode: BootMode): void {
  if (mode === 'soft-raw') {
    out.muted = true;
    mp.replInit();
    frontend.enterRawSilently();
    out.muted = false;
    out.write('raw REPL; CTRL-B to exit\r\n>');
  } else {
    // A board prints the banner straight after main.py's output.
    out.dropNext('\r\n');
    mp.replInit();
  }
  out.flush();
}

function serveForever(): never {
  for (;;) {
    // The view goes out before the output, so the host has it when it sees the prompt.
    view.flush(true);
    out.flush();
    const seen = ring.wakeCount();
    const b = ring.read();
    if (b < 0) {
      if (bridge.hasPendingEvent()) {
        // A board runs pin IRQ handlers and timer callbacks even while the REPL waits for input.
        runQuiet(`${BOOT}.run_events()`);
        continue;
      }
      ring.waitForWake(seen, Math.min(view.flush(), bridge.msUntilTimer()));
      continue;
    }
    if (b === 0x03 && Atomics.exchange(ring.ctl, Ctl.Interrupt, 0) === 1) post({ type: 'interrupt-ack' });
    frontend.feed(b);
  }
}
