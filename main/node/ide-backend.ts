// The back end behind the API contract: a project folder on the host and one
// board at a time (the simulator or a serial port, see board-connection.ts),
// reached through the same session/raw REPL client either way.

import * as path from 'node:path';
import type { BoardStatus, BoardTarget, CodeLocation, EventSink, MoteBackend, PinSnapshot, RunOutcome, SyncPlanInfo } from '../common/api.js';
import { syncFolder, type SyncPlan } from '../../runtime/common/sync.js';
import { parseTraceback, userFrame } from '../../runtime/common/traceback.js';
import { listPorts } from '../../runtime/node/port-list.js';
import { openSimBoard, SerialBoard, SERIAL_PREFIX, SIM_TARGET, type ConnectedBoard } from './board-connection.js';
import { readProjectSettings } from './project/project-settings.js';
import { ProjectFiles } from './project/project-files.js';
import { PinThrottle } from './pin-throttle.js';
import { TerminalHistory } from './terminal-history.js';
import { examplesApi } from './examples-api.js';
import { packagesApi } from './packages-api.js';
import { flashApi } from './flash-api.js';
import { profileApi, projectProfileId } from './profile-api.js';
import { profileById } from '../../runtime/sim/common/profiles.js';
import { findAppRoot } from '../../runtime/node/app-root.js';
import { fleetApi } from './fleet-api.js';
import { FileSecretStore, type SecretStore } from './secrets/secret-store.js';
import { WEBREPL_PREFIX } from './webrepl-board.js';
import { WebReplTargets } from './webrepl-targets.js';
import { applySetup, previewSetup } from '../../runtime/common/webrepl/setup.js';

export interface BackendOptions {
  /** The user's project folder on the host. */
  projectDir: string;
  /** Per-user app data (simulated board files, settings). */
  dataDir: string;
  /** Where serial ports come from (tests pass their own). */
  listPorts?: typeof listPorts;
  /** How long a serial board that went away is looked for (default 10 s). */
  reconnectMs?: number;
  /** Where saved WebREPL and fleet broker passwords live (default: a 0600 file in dataDir; Electron passes a safeStorage-sealed one). */
  secrets?: SecretStore;
  /** The app's resources folder (examples, board pictures). */
  resourcesDir?: string;
}

export interface DisposableBackend extends MoteBackend {
  dispose(): Promise<void>;
}

const EDITOR = '<editor>';

export async function createBackend(opts: BackendOptions, emit: EventSink): Promise<DisposableBackend> {
  let project = new ProjectFiles(path.resolve(opts.projectDir));
  /** The simulated board's profile (the project's choice); each profile keeps its own files. */
  let simProfile = await projectProfileId(project.root);
  const simFilesDir = () => path.join(opts.dataDir, 'boards', simProfile);
  // Read each time the simulator opens, so an edited project setting needs no IDE restart.
  const openSim = async () =>
    openSimBoard(simFilesDir(), simProfile, { allowPublic: (await readProjectSettings(project.root)).simAllowPublicNetwork === true });
  let board: ConnectedBoard = await openSim();
  let unwire: Array<() => void> = [];
  /** Connection switches, one at a time. */
  let switching: Promise<unknown> = Promise.resolve();
  /** The running sync or transfer, for cancelTransfer(). */
  let transfer: AbortController | null = null;

  const status = (): BoardStatus => ({
    boardName: board.boardName,
    version: board.version,
    state: board.state === 'ready' && board.session.isRunning ? 'running' : board.state,
    connection: board.connection,
  });
  let buttonPressed = false;
  const pins = (): PinSnapshot => ({ ...board.view, buttonPressed, inputs: board.inputs });
  const pinThrottle = new PinThrottle(() => emit('pins', pins()));
  const history = new TerminalHistory();
  const toTerminal = (b: Uint8Array) => {
    history.append(b);
    emit('terminalData', b);
  };

  function wire(b: ConnectedBoard): void {
    for (const u of unwire) u();
    board = b;
    unwire = [b.onTerminal(toTerminal), b.onStatus(() => emit('boardStatus', status())), b.onPins(() => pinThrottle.changed())];
  }
  wire(board);

  const secrets = opts.secrets ?? new FileSecretStore(opts.dataDir);
  // Starts the fleet service and its broker now, in the background: boards reach it without the fleet view open.
  const fleet = fleetApi({ dataDir: opts.dataDir, projectRoot: () => project.root, emit, secrets, board: { board: () => board, transferring } });
  const webrepl = new WebReplTargets(secrets);

  async function open(id: string): Promise<ConnectedBoard> {
    if (id === SIM_TARGET) return openSim();
    if (id.startsWith(WEBREPL_PREFIX)) return webrepl.open(id);
    if (id.startsWith(SERIAL_PREFIX)) return SerialBoard.open(id.slice(SERIAL_PREFIX.length), { reconnectMs: opts.reconnectMs });
    throw new Error(`unknown board ${id}`);
  }

  async function connectTo(id: string): Promise<BoardStatus> {
    if (id === board.targetId && board.state !== 'disconnected') return status();
    transfer?.abort(new Error('the board was switched'));
    const old = board;
    // The simulator keeps one folder of files, so only one may run; a port that
    // went away is closed before it is opened again. Otherwise the new board is
    // opened first, and a failure leaves the old one connected.
    const closeFirst = id === old.targetId || id === SIM_TARGET;
    if (closeFirst) {
      await old.close();
      emit('boardStatus', { ...status(), state: 'disconnected' });
    }
    let next: ConnectedBoard;
    try {
      next = await open(id);
    } catch (e) {
      if (closeFirst) wire(await openSim());
      emit('boardStatus', status());
      throw new Error(`Cannot connect to ${id.replace(SERIAL_PREFIX, '')}: ${(e as Error).message}`);
    }
    if (!closeFirst) await old.close();
    wire(next);
    toTerminal(Buffer.from(`\r\n[connected to ${next.boardName} on ${next.connection}]\r\n`));
    if (id !== SIM_TARGET) await next.session.terminalInput(Buffer.from('\r')).catch(() => undefined);
    emit('boardStatus', status());
    return status();
  }

  /** The wizard sets a board up over its cable (or the simulator, to practise). */
  function usbBoard(): ConnectedBoard {
    if (board.targetId.startsWith(WEBREPL_PREFIX)) throw new Error('set up WebREPL while the board is connected by USB');
    return board;
  }

  function switchTo(id: string): Promise<BoardStatus> {
    const next = switching.then(() => connectTo(id));
    switching = next.catch(() => undefined);
    return next;
  }

  /** Runs one transfer at a time with a cancel handle. */
  async function transferring<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (transfer) throw new Error('another transfer is running');
    const c = new AbortController();
    transfer = c;
    try {
      return await fn(c.signal);
    } finally {
      if (transfer === c) transfer = null;
    }
  }

  async function locate(stderr: string, file: string): Promise<CodeLocation | null> {
    const info = parseTraceback(stderr);
    if (!info || info.interrupted) return null;
    const files = await project.list();
    const frame = userFrame(info, (f) => project.matchBoardPath(f, files));
    if (!frame) return null;
    return { file: frame.file === '<stdin>' ? file || EDITOR : frame.file, line: frame.line, message: info.message };
  }

  const projectChanged = async () => emit('projectChanged', { root: project.root, files: await project.list() });

  return {
    async getProject() {
      return { root: project.root, files: await project.list() };
    },
    readProjectFile: (p) => project.read(p),
    async writeProjectFile(p, text) {
      const isNew = !(await project.list()).includes(p);
      await project.write(p, text);
      if (isNew) await projectChanged();
    },
    getBoardStatus: async () => status(),
    getPins: async () => pins(),
    getTerminalHistory: async () => history.bytes(),
    async terminalInput(data) {
      await board.session.terminalInput(Buffer.from(data, 'utf8'));
    },
    async run(source, file): Promise<RunOutcome> {
      emit('runError', null);
      const started = board.session.run(source);
      emit('boardStatus', { ...status(), state: 'running' });
      const r = await started;
      emit('boardStatus', status());
      if (r.aborted) return { ok: false, interrupted: false, error: null };
      const error = await locate(r.stderr.toString('utf8'), file);
      if (error) emit('runError', error);
      return { ok: r.stderr.length === 0, interrupted: r.interrupted, error };
    },
    stop: () => board.session.stop(),
    softReset: () => board.session.softReset(),
    hardReset: () => board.hardReset(),
    async upload(text, boardPath) {
      await board.fs.write(absBoard(boardPath), Buffer.from(text, 'utf8'));
    },
    listBoardFiles: () => board.fs.list('/'),
    async readBoardFile(p) {
      return (await board.fs.read(p)).toString('utf8');
    },
    deleteBoardFile: (p) => board.fs.remove(p),
    async setButton(pressed) {
      buttonPressed = pressed;
      board.setButton(pressed);
      pinThrottle.changed();
    },

    async listTargets(): Promise<BoardTarget[]> {
      const ports = await (opts.listPorts ?? listPorts)().catch(() => []);
      return [
        { id: SIM_TARGET, label: simLabel(profileById(simProfile)), kind: 'sim', likely: true, busy: null },
        ...webrepl.list(),
        ...ports.map(
          (p): BoardTarget => ({
            id: SERIAL_PREFIX + p.path,
            label: `${p.path}: ${p.description}`,
            kind: 'serial',
            likely: p.kind === 'micropython' || p.kind === 'board',
            // Our own open port shows up in /proc as held by this process.
            busy: p.path === board.connection ? null : p.busy,
          }),
        ),
      ];
    },
    connectTarget: (id) => switchTo(id),
    connectWebRepl: (address, password, save) => webrepl.connect(address, password, save, switchTo),
    webReplSetupPreview: async (setup) => previewSetup(usbBoard().fs, setup),
    webReplSetupApply: (setup) => transferring(() => applySetup(usbBoard().fs, usbBoard().session, setup)),

    mkdirBoard: (p) => board.fs.mkdir(absBoard(p), { parents: true }),
    renameBoard: (from, to) => board.fs.rename(absBoard(from), absBoard(to)),
    uploadProjectFile: (projectPath, boardPath) =>
      transferring(async (signal) => {
        const data = await project.readBytes(projectPath);
        await board.fs.put(absBoard(boardPath), data, {
          signal,
          onProgress: (p) => emit('transferProgress', { label: projectPath, ...p }),
        });
      }),
    downloadBoardFile: (boardPath, projectPath) =>
      transferring(async (signal) => {
        const isNew = !(await project.list()).includes(projectPath);
        const data = await board.fs.get(absBoard(boardPath), {
          signal,
          onProgress: (p) => emit('transferProgress', { label: boardPath, ...p }),
        });
        await project.write(projectPath, data);
        if (isNew) await projectChanged();
      }),

    async syncPreview({ compileMpy }) {
      return planInfo(await syncFolder(board.fs, project.asLocalFolder(), { dryRun: true, deleteRemoved: true, compileMpy }));
    },
    syncApply: ({ deleteRemoved, compileMpy }) =>
      transferring(async (signal) => {
        const plan = await syncFolder(board.fs, project.asLocalFolder(), {
          deleteRemoved,
          compileMpy,
          signal,
          onProgress: (p) => emit('transferProgress', { label: p.file, done: p.done, total: p.total, bytesPerSecond: p.bytesPerSecond }),
        });
        return planInfo(plan);
      }),
    async cancelTransfer() {
      transfer?.abort(new Error('cancelled'));
    },

    async setSimInput(input) {
      board.setInput(input);
      pinThrottle.changed();
    },
    ...profileApi({
      resourcesDir: opts.resourcesDir ?? path.join(findAppRoot(), 'resources'),
      projectRoot: () => project.root,
      async openProject(dir) {
        project = new ProjectFiles(path.resolve(dir));
        await projectChanged();
        return { root: project.root, files: await project.list() };
      },
      switchSimProfile(profileId) {
        const next = switching.then(async () => {
          const changed = profileId !== simProfile;
          simProfile = profileId;
          if (!changed || board.targetId !== SIM_TARGET) return status();
          // Reopen even though the target id is the same: the board model changed.
          transfer?.abort(new Error('the board was switched'));
          await board.close();
          emit('boardStatus', { ...status(), state: 'disconnected' });
          wire(await openSim());
          toTerminal(Buffer.from(`\r\n[simulator restarted as ${board.boardName}]\r\n`));
          pinThrottle.changed();
          emit('boardStatus', status());
          // Resolve once the new board answers, so a Run right after the switch reaches its prompt.
          await untilReady(board, 10_000);
          return status();
        });
        switching = next.catch(() => undefined);
        return next;
      },
    }),
    ...examplesApi(opts.resourcesDir ?? path.join(findAppRoot(), 'resources'), { project: () => project, projectChanged }),
    ...packagesApi({ dataDir: opts.dataDir, project: () => project, projectChanged, board: () => board, emit }),

    ...flashApi({ dataDir: opts.dataDir, emit, releasePort: async (port) => void (board.targetId === SERIAL_PREFIX + port && (await switchTo(SIM_TARGET))) }),
    ...fleet,
    async dispose() {
      await fleet.dispose();
      transfer?.abort(new Error('closing'));
      pinThrottle.dispose();
      await switching;
      await board.close();
    },
  };
}

/** Resolves when `b` is ready (at its prompt), or after `ms` whatever its state. */
function untilReady(b: ConnectedBoard, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (b.state === 'ready') return resolve();
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = b.onStatus(() => b.state === 'ready' && done());
  });
}

/** The simulator in the board picker: the profile's name, marked as simulated unless it says so itself. */
function simLabel(p: { name: string; title?: string }): string {
  return /simulated/i.test(p.name) ? p.name : `${p.title ?? p.name} (simulated)`;
}

function absBoard(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}

function planInfo(plan: SyncPlan): SyncPlanInfo {
  const entries = (items: SyncPlan['upload']) => items.map(({ path, remotePath, size }) => ({ path, remotePath, size }));
  return { upload: entries(plan.upload), unchanged: entries(plan.unchanged), delete: entries(plan.delete) };
}
