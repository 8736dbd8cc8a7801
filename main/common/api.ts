// The one contract between the UI and the back end. The Electron preload, the
// browser-mode WebSocket client and the tests all implement `MoteApi`; the main
// process and the browser-mode server accept exactly the calls listed in
// `API_METHODS` and validate every argument with `API_VALIDATORS` first.
// This file is types plus pure validation: the renderer may import it.

import { checkSimInput, type BoardView, type SimInput, type SimInputs } from '../../runtime/sim/common/board-view.js';

import {
  FLEET_ROLLOUT_ACTIONS, MAX_SIMULATED_BOARDS, fleetBrokerProblem, fleetGroupProblem, fleetProvisionProblem,
  type FleetBrokerInfo, type FleetBrokerRequest, type FleetProvisionRequest, type FleetProvisionResult, type FleetReleaseInfo, type FleetRolloutInfo, type FleetStatus,
} from './fleet-types.js';

export type * from './fleet-types.js';
import { packageNameProblem, packageSpecProblem, type InstalledPackageInfo, type PackageIndexEntry, type PackageProgressInfo } from './package-types.js';
export type * from './package-types.js';
import type { FlashProgress } from '../../runtime/flash/progress.js';
export type { BoardView, DisplayView, PwmView, ServoView, SimInput, SimInputs, StripView } from '../../runtime/sim/common/board-view.js';

/** 'reconnecting': a serial board went away and the back end is trying to reopen its port. */
export type ConnectionState = 'booting' | 'ready' | 'running' | 'resetting' | 'disconnected' | 'reconnecting';

export interface BoardStatus {
  /** e.g. "Mote Simulated Pico" */
  boardName: string;
  /** e.g. "MicroPython v1.27.0" */
  version: string;
  state: ConnectionState;
  /** Human text for the status bar, e.g. "Simulator" or "/dev/ttyACM0". */
  connection: string;
}

/** A board the back end can connect to: the simulator or a serial port. */
export interface BoardTarget {
  /** 'sim', or 'serial:' followed by the port path. */
  id: string;
  /** e.g. "Mote Simulated Pico" or "/dev/ttyACM0: Raspberry Pi Pico (MicroPython)". */
  label: string;
  kind: 'sim' | 'serial' | 'webrepl';
  /** Its USB ids say it is probably a MicroPython board. */
  likely: boolean;
  /** Who holds the port open, when known: "picocom (pid 4242)". */
  busy: string | null;
}

/** What the WebREPL set-up wizard asks for. */
export interface WebReplSetup {
  ssid: string;
  wifiPassword: string;
  /** 4 to 9 characters. */
  webreplPassword: string;
}

/** boot.py before and after the wizard's merge, and the line diff to show. */
export interface WebReplSetupPreview {
  bootBefore: string;
  bootAfter: string;
  diff: Array<{ op: ' ' | '+' | '-'; text: string }>;
}

/** One file in a sync plan. */
export interface SyncEntry {
  /** Project-relative path (for deletions: the board path). */
  path: string;
  remotePath: string;
  size: number;
}

export interface SyncOptions {
  /** Also delete board files that are not in the project. */
  deleteRemoved: boolean;
  /** Upload modules compiled to .mpy (main.py and boot.py stay source); refused when the board's .mpy version differs. */
  compileMpy: boolean;
}

export interface SyncPlanInfo {
  upload: SyncEntry[];
  unchanged: SyncEntry[];
  /** Board files with no project counterpart (deleted only when asked). */
  delete: SyncEntry[];
}

export interface TransferProgress {
  /** What is moving, e.g. "lib/helper.py". */
  label: string;
  done: number;
  total: number;
  bytesPerSecond: number;
}

export interface BoardFile {
  path: string;
  size: number;
  isDir: boolean;
}

export interface ProjectInfo {
  /** Absolute folder on the host. */
  root: string;
  /** Project-relative paths with '/' separators, sorted. */
  files: string[];
}

/** A place in the user's code, found in a traceback. */
export interface CodeLocation {
  /** Project-relative path, or '<editor>' for the buffer that was run. */
  file: string;
  line: number;
  message: string;
}

export interface RunOutcome {
  ok: boolean;
  /** True when the program ended by KeyboardInterrupt (Stop). */
  interrupted: boolean;
  /** Innermost frame of the user's code that failed, when there is one. */
  error: CodeLocation | null;
}

/** The simulated hardware as the board view draws it (a serial board has none), and the inputs set in it. */
export interface PinSnapshot extends BoardView {
  /** Board-level state of the user button. */
  buttonPressed: boolean;
  inputs: SimInputs;
}

/** A simulated board model the user can pick for a project. */
export interface BoardProfileInfo {
  id: string;
  /** e.g. "Raspberry Pi Pico W" */
  name: string;
  /** One line for the picker, e.g. "RP2040, Wi-Fi; 26 GPIO, 3 ADC". */
  description: string;
  platform: string;
  /** The board picture (SVG source), pins labelled. */
  svg: string;
  gpios: number[];
  adcPins: number[];
  leds: Array<{ name: string; gpio: number; color: string }>;
  buttons: Array<{ name: string; gpio: number }>;
}

/** One program of the examples gallery (resources/examples). */
export interface ExampleInfo {
  id: string;
  title: string;
  /** One line: what it shows. */
  description: string;
  /** Board profiles it is written for (all when empty). */
  profiles: string[];
  /** Driver files it imports, e.g. "lib/ssd1306.py": opening the example copies them into the project. */
  libs: string[];
}

/** Where openExample put an example in the project. */
export interface OpenedExample {
  /** Project-relative path of the copy: "<id>.py", or "<id>_2.py" when that name held other code. */
  path: string;
  /** Each driver: copied, already there ('same'), or 'kept' because the project's file differs and is never replaced. */
  libs: Array<{ path: string; status: 'copied' | 'same' | 'kept' }>;
}

/** Progress of a firmware flash: its phase, bytes written, a log line. */
export type FlashProgressInfo = FlashProgress;

/** Names a catalogue image in FlashRequest.file (the back end downloads it), not a host file. */
export const CATALOGUE_FILE_PREFIX = 'catalogue:';

/** What to flash: a .bin (ESP boards, esptool) or a .uf2 (rp2 boards, BOOTSEL drive). */
export interface FlashRequest {
  /** Serial port path, e.g. "/dev/ttyUSB0". */
  port: string;
  /** A host file path, or CATALOGUE_FILE_PREFIX followed by a catalogue entry's fileName. */
  file: string;
  /** ESP only: erase the whole flash first (removes the board's files too). */
  erase: boolean;
}

export interface FlashResultInfo {
  chip: string;
  bytes: number;
  /** ESP: the MD5 the chip computed over what it wrote (equal to the image's); null for UF2. */
  md5: string | null;
  /** The new MicroPython's banner, when it answered. */
  banner: string | null;
}

/** An official MicroPython image the catalogue offers. */
export interface FlashCatalogueEntry {
  /** Pass as "catalogue:<fileName>" to flashFirmware. */
  fileName: string;
  board: string;
  boardTitle: string;
  version: string;
  url: string;
  kind: 'esp' | 'uf2';
  /** Already downloaded (usable offline). */
  cached: boolean;
}

export interface MoteEvents {
  /** Raw bytes from the board; the terminal decodes them as a stream. */
  terminalData: Uint8Array;
  boardStatus: BoardStatus;
  pins: PinSnapshot;
  /** The last run failed at this place (or null when a run starts). */
  runError: CodeLocation | null;
  projectChanged: ProjectInfo;
  /** Progress of a sync or a file transfer. */
  transferProgress: TransferProgress;
  /** The fleet changed (devices, rollouts, releases); at most a few per second. */
  fleet: FleetStatus;
  /** Progress of a package install or remove. */
  packageProgress: PackageProgressInfo;
  /** Progress of a firmware flash. */
  flashProgress: FlashProgressInfo;
}

export type MoteEventName = keyof MoteEvents;

export interface MoteApi {
  getProject(): Promise<ProjectInfo>;
  readProjectFile(path: string): Promise<string>;
  writeProjectFile(path: string, text: string): Promise<void>;

  getBoardStatus(): Promise<BoardStatus>;
  getPins(): Promise<PinSnapshot>;
  /** The last bytes the terminal showed (up to 64 KiB), so a new window starts where the board is. */
  getTerminalHistory(): Promise<Uint8Array>;
  /** Keys typed in the terminal, sent to the board as UTF-8. */
  terminalInput(data: string): Promise<void>;
  /** Runs source on the board (raw-paste), streaming output to terminalData.
   *  If a program is already running it is stopped first. */
  run(source: string, file: string): Promise<RunOutcome>;
  stop(): Promise<void>;
  softReset(): Promise<void>;
  hardReset(): Promise<void>;
  /** Saves text to the board's filesystem, e.g. as "main.py". */
  upload(text: string, boardPath: string): Promise<void>;
  listBoardFiles(): Promise<BoardFile[]>;
  readBoardFile(path: string): Promise<string>;
  deleteBoardFile(path: string): Promise<void>;
  /** The simulated board's user button. */
  setButton(pressed: boolean): Promise<void>;

  /** The simulator first, then serial ports (likely boards first). */
  listTargets(): Promise<BoardTarget[]>;
  /** Switches to another board (closing the current one); resolves with its status. */
  connectTarget(id: string): Promise<BoardStatus>;
  /**
   * Connects to a board over WebREPL (address like ws://192.168.4.1:8266);
   * with `save`, the connection is listed among the targets from then on, its
   * password kept in the OS keychain (or a file only the user can read).
   */
  connectWebRepl(address: string, password: string, save: boolean): Promise<BoardStatus>;
  /** What setting up WebREPL on the connected (USB) board would write to boot.py; changes nothing. */
  webReplSetupPreview(setup: WebReplSetup): Promise<WebReplSetupPreview>;
  /** Writes webrepl_cfg.py and boot.py, joins Wi-Fi, reads the board's IP, reboots it; resolves with its ws:// address. */
  webReplSetupApply(setup: WebReplSetup): Promise<{ ip: string; url: string }>;

  mkdirBoard(path: string): Promise<void>;
  renameBoard(from: string, to: string): Promise<void>;
  /** Copies a project file to the board, verified by SHA-256. */
  uploadProjectFile(projectPath: string, boardPath: string): Promise<void>;
  /** Copies a board file into the project, verified by SHA-256. */
  downloadBoardFile(boardPath: string, projectPath: string): Promise<void>;

  /** What a sync of the project folder to the board's / would change; changes nothing. */
  syncPreview(opts: Pick<SyncOptions, 'compileMpy'>): Promise<SyncPlanInfo>;
  /** Syncs the project to the board, with transferProgress events; resolves with what was done. */
  syncApply(opts: SyncOptions): Promise<SyncPlanInfo>;
  /** Cancels a running sync or transfer; its call rejects. */
  cancelTransfer(): Promise<void>;

  /** Sets a simulated input: a button, an ADC slider, a pin driven from outside, a sensor reading. */
  setSimInput(input: SimInput): Promise<void>;
  listBoardProfiles(): Promise<BoardProfileInfo[]>;
  /** The project's simulated board model. */
  getBoardProfile(): Promise<BoardProfileInfo>;
  /** Switches the project's simulated board model (saved with the project); the simulator restarts as that board. */
  setBoardProfile(id: string): Promise<BoardStatus>;
  /** Creates a project folder next to the current one, with a starter main.py for that board, and opens it. */
  newProject(opts: { name: string; profile: string }): Promise<ProjectInfo>;
  listExamples(): Promise<ExampleInfo[]>;
  /** An example's source. */
  readExample(id: string): Promise<string>;
  /** Copies an example and its drivers into the project (never replacing a file); emits projectChanged. */
  openExample(id: string): Promise<OpenedExample>;

  /** The fleet dashboard. The fleet service starts with the back end; this rejects with why it is not running. */
  fleetStatus(): Promise<FleetStatus>;
  /** Signs a release of the current project folder. */
  fleetCreateRelease(): Promise<FleetReleaseInfo>;
  /** Rolls release `seq` out to a group, in the service's default waves. */
  fleetStartRollout(seq: number, group: string): Promise<FleetRolloutInfo>;
  fleetRolloutAction(id: number, action: 'pause' | 'resume' | 'cancel' | 'rollback'): Promise<void>;
  /** Starts `count` more simulated boards running the real OTA agent, in the 'simulated' group. */
  fleetSimulate(count: number): Promise<FleetStatus>;
  fleetStopSimulation(): Promise<void>;
  /** Puts the OTA agent, its config and the fleet's public key on the connected board; transferProgress events (label: the file). */
  fleetProvision(req: FleetProvisionRequest): Promise<FleetProvisionResult>;
  /** The fleet's broker settings (never a password), what it says in the status line, and why it is not running. */
  fleetBrokerSettings(): Promise<FleetBrokerInfo>;
  /** Tries these settings without saving them: resolves with what was reached, rejects with the specific problem. */
  fleetTestBroker(settings: FleetBrokerRequest): Promise<string>;
  /** Restarts the fleet service on this broker and saves it; on any failure the previous broker stays in use and saved. */
  fleetSetBroker(settings: FleetBrokerRequest): Promise<FleetBrokerInfo>;

  /** The package index's entries matching `query` (all when empty), marked with what mote.lock has installed. */
  packageSearch(query: string): Promise<PackageIndexEntry[]>;
  /** What the project's mote.lock records. */
  packagesInstalled(): Promise<InstalledPackageInfo[]>;
  /** Installs a package (and its dependencies) onto the board's /lib, records it in mote.lock; packageProgress events. */
  packageInstall(spec: string, mpy: boolean): Promise<InstalledPackageInfo[]>;
  /** Installs everything in mote.lock onto the current board. */
  packageInstallLock(): Promise<InstalledPackageInfo[]>;
  /** Deletes a package's files (and dependencies nothing else needs) from the board and mote.lock. */
  packageRemove(name: string): Promise<InstalledPackageInfo[]>;
  /** Cancels a running package install or remove; its call rejects. */
  packageCancel(): Promise<void>;

  /** Writes MicroPython onto a board over its serial port (disconnecting the IDE from that port first); flashProgress events. */
  flashFirmware(req: FlashRequest): Promise<FlashResultInfo>;
  /** Cancels a running flash; its call rejects with "flashing was cancelled". */
  cancelFlash(): Promise<void>;
  /** The official images on offer, marked with what is cached. */
  flashCatalogue(): Promise<FlashCatalogueEntry[]>;

  on<E extends MoteEventName>(event: E, listener: (payload: MoteEvents[E]) => void): () => void;
}

export type MoteMethod = Exclude<keyof MoteApi, 'on'>;

type Validator = (args: unknown[]) => string | null;

const MAX_TEXT = 16 * 1024 * 1024;

function str(name: string, max = 4096) {
  return (v: unknown): string | null =>
    typeof v !== 'string' ? `${name} must be a string` : v.length > max ? `${name} is too long` : null;
}
function bool(name: string) {
  return (v: unknown): string | null => (typeof v === 'boolean' ? null : `${name} must be a boolean`);
}
/** Project-relative and board paths: no NUL, no '..' segments. */
function safePath(name: string) {
  return (v: unknown): string | null => {
    const e = str(name, 1024)(v);
    if (e) return e;
    const s = v as string;
    if (s.length === 0) return `${name} is empty`;
    if (s.includes('\0')) return `${name} contains a NUL byte`;
    if (s.split(/[\\/]/).includes('..')) return `${name} must not contain '..'`;
    return null;
  };
}
function targetId(name: string) {
  return (v: unknown): string | null => {
    const e = str(name, 1024)(v);
    if (e) return e;
    const s = v as string;
    if (s === 'sim') return null;
    const prefix = ['serial:', 'webrepl:'].find((p) => s.startsWith(p));
    if (!prefix || s.length === prefix.length) return `${name} must be 'sim', 'serial:<port>' or 'webrepl:<address>'`;
    return s.includes('\0') ? `${name} contains a NUL byte` : null;
  };
}
/** An object with exactly these boolean fields. */
function flags(name: string, fields: string[]) {
  return (v: unknown): string | null => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${name} must be an object`;
    const keys = Object.keys(v).sort();
    if (keys.join() !== [...fields].sort().join()) return `${name} must be { ${fields.join(', ')} }`;
    for (const f of fields) {
      const problem = bool(`${name}.${f}`)((v as Record<string, unknown>)[f]);
      if (problem) return problem;
    }
    return null;
  };
}
/** Why a new project's name (its folder name) is refused, or null. */
export function projectNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || !/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u.test(name))
    return 'project name must be 1-64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit';
  return null;
}
function newProjectOptions(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'opts must be an object';
  const o = v as Record<string, unknown>;
  if (Object.keys(o).sort().join() !== 'name,profile') return 'opts must be { name, profile }';
  return projectNameProblem(o.name) ?? str('profile', 64)(o.profile);
}
/** A board's WebREPL password: what webrepl_setup accepts (4-9 characters), no line breaks. */
function webReplPassword(name: string) {
  return (v: unknown): string | null => {
    if (typeof v !== 'string') return `${name} must be a string`;
    if (v.length < 4 || v.length > 9) return `${name} must have 4 to 9 characters`;
    return /[\r\n\0]/.test(v) ? `${name} cannot contain line breaks` : null;
  };
}
function int(name: string, min: number, max: number) {
  return (v: unknown): string | null =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `${name} must be a whole number from ${min} to ${max}`;
}
function oneOf(name: string, allowed: readonly string[]) {
  return (v: unknown): string | null => (typeof v === 'string' && allowed.includes(v) ? null : `${name} must be one of ${allowed.join(', ')}`);
}
function webReplSetup(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'setup must be an object';
  const o = v as Record<string, unknown>;
  if (Object.keys(o).sort().join() !== 'ssid,webreplPassword,wifiPassword') return 'setup must be { ssid, wifiPassword, webreplPassword }';
  return str('ssid', 32)(o.ssid) ?? str('wifiPassword', 63)(o.wifiPassword) ?? webReplPassword('webreplPassword')(o.webreplPassword);
}
function flashRequest(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'request must be an object';
  const o = v as Record<string, unknown>;
  if (Object.keys(o).sort().join() !== 'erase,file,port') return 'request must be { port, file, erase }';
  for (const f of ['port', 'file'] as const) {
    const e = str(f, 4096)(o[f]);
    if (e) return e;
    const s = o[f] as string;
    if (s.trim().length === 0) return `${f} is empty`;
    if (s.includes('\0')) return `${f} contains a NUL byte`;
  }
  return bool('erase')(o.erase);
}
function args(...checks: Array<(v: unknown) => string | null>): Validator {
  return (a) => {
    if (a.length !== checks.length) return `expected ${checks.length} argument(s), got ${a.length}`;
    for (let i = 0; i < checks.length; i++) {
      const e = checks[i](a[i]);
      if (e) return e;
    }
    return null;
  };
}

/** Every callable method and how its arguments are checked. Nothing else is exposed. */
export const API_VALIDATORS: Record<MoteMethod, Validator> = {
  getProject: args(),
  readProjectFile: args(safePath('path')),
  writeProjectFile: args(safePath('path'), str('text', MAX_TEXT)),
  getBoardStatus: args(),
  getPins: args(),
  getTerminalHistory: args(),
  terminalInput: args(str('data', 65536)),
  run: args(str('source', MAX_TEXT), str('file', 1024)),
  stop: args(),
  softReset: args(),
  hardReset: args(),
  upload: args(str('text', MAX_TEXT), safePath('boardPath')),
  listBoardFiles: args(),
  readBoardFile: args(safePath('path')),
  deleteBoardFile: args(safePath('path')),
  setButton: args(bool('pressed')),
  listTargets: args(),
  connectTarget: args(targetId('id')),
  connectWebRepl: args(str('address', 256), webReplPassword('password'), bool('save')),
  webReplSetupPreview: args(webReplSetup),
  webReplSetupApply: args(webReplSetup),
  mkdirBoard: args(safePath('path')),
  renameBoard: args(safePath('from'), safePath('to')),
  uploadProjectFile: args(safePath('projectPath'), safePath('boardPath')),
  downloadBoardFile: args(safePath('boardPath'), safePath('projectPath')),
  syncPreview: args(flags('opts', ['compileMpy'])),
  syncApply: args(flags('opts', ['deleteRemoved', 'compileMpy'])),
  cancelTransfer: args(),
  setSimInput: args(checkSimInput),
  listBoardProfiles: args(),
  getBoardProfile: args(),
  setBoardProfile: args(str('id', 64)),
  newProject: args(newProjectOptions),
  listExamples: args(),
  readExample: args(str('id', 64)),
  openExample: args(str('id', 64)),
  fleetStatus: args(),
  fleetCreateRelease: args(),
  fleetStartRollout: args(int('seq', 1, 2 ** 31 - 1), fleetGroupProblem),
  fleetRolloutAction: args(int('id', 1, 2 ** 31 - 1), oneOf('action', FLEET_ROLLOUT_ACTIONS)),
  fleetSimulate: args(int('count', 1, MAX_SIMULATED_BOARDS)),
  fleetStopSimulation: args(),
  fleetProvision: args(fleetProvisionProblem),
  fleetBrokerSettings: args(),
  fleetTestBroker: args(fleetBrokerProblem),
  fleetSetBroker: args(fleetBrokerProblem),
  packageSearch: args(str('query', 200)),
  packagesInstalled: args(),
  packageInstall: args(packageSpecProblem, bool('mpy')),
  packageInstallLock: args(),
  packageRemove: args(packageNameProblem),
  packageCancel: args(),
  flashFirmware: args(flashRequest),
  cancelFlash: args(),
  flashCatalogue: args(),
};

export const API_METHODS = Object.keys(API_VALIDATORS) as MoteMethod[];

export const API_EVENTS: MoteEventName[] = ['terminalData', 'boardStatus', 'pins', 'runError', 'projectChanged', 'transferProgress', 'fleet', 'packageProgress', 'flashProgress'];

export function isApiMethod(name: unknown): name is MoteMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API_VALIDATORS, name);
}

/** Returns an error message, or null when the call is allowed. */
export function validateCall(method: unknown, callArgs: unknown): string | null {
  if (!isApiMethod(method)) return `unknown method ${String(method).slice(0, 64)}`;
  if (!Array.isArray(callArgs)) return 'arguments must be an array';
  return API_VALIDATORS[method](callArgs);
}

/** The back end: the API without the event subscription, plus an event sink. */
export type MoteBackend = Omit<MoteApi, 'on'>;
export type EventSink = <E extends MoteEventName>(event: E, payload: MoteEvents[E]) => void;
