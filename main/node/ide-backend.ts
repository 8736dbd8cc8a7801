// The back end behind the API contract: a project folder on the host and the
// simulated board, reached through the same session/raw REPL client that
// serves real boards.

import * as path from 'node:path';
import type { BoardStatus, CodeLocation, EventSink, MoteBackend, PinSnapshot, RunOutcome } from '../common/api.js';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession } from '../../runtime/common/board-session.js';
import { parseTraceback, userFrame } from '../../runtime/common/traceback.js';
import { MP_VERSION } from '../../runtime/sim/common/board-profile.js';
import { SimBoard, type SimState } from '../../runtime/sim/node/sim-board.js';
import { ProjectFiles } from './project/project-files.js';
import { PinThrottle } from './pin-throttle.js';
import { TerminalHistory } from './terminal-history.js';

export interface BackendOptions {
  /** The user's project folder on the host. */
  projectDir: string;
  /** Per-user app data (simulated board files, settings). */
  dataDir: string;
}

export interface DisposableBackend extends MoteBackend {
  dispose(): Promise<void>;
}

const EDITOR = '<editor>';

export async function createBackend(opts: BackendOptions, emit: EventSink): Promise<DisposableBackend> {
  const project = new ProjectFiles(path.resolve(opts.projectDir));
  const board = await SimBoard.start({ filesDir: path.join(opts.dataDir, 'boards', 'sim-pico') });
  const session = new BoardSession(board);
  const boardFs = new BoardFs(session);

  const status = (state: SimState): BoardStatus => ({
    boardName: board.profile.name,
    version: `MicroPython v${MP_VERSION}`,
    state: state === 'closed' ? 'disconnected' : state === 'ready' && session.isRunning ? 'running' : state,
    connection: 'Simulator',
  });
  let buttonPressed = false;
  const pins = (): PinSnapshot => ({ outputs: board.outputs, buttonPressed });
  const pinThrottle = new PinThrottle(() => emit('pins', pins()));

  const history = new TerminalHistory();
  session.onTerminal((b) => {
    history.append(b);
    emit('terminalData', b);
  });
  board.onPins(() => pinThrottle.changed());
  board.onState((s) => {
    // A reset ends whatever command was using the line.
    if (s === 'resetting') session.abortActive(new Error('the board was reset'));
    emit('boardStatus', status(s));
  });

  async function locate(stderr: string, file: string): Promise<CodeLocation | null> {
    const info = parseTraceback(stderr);
    if (!info || info.interrupted) return null;
    const files = await project.list();
    const frame = userFrame(info, (f) => project.matchBoardPath(f, files));
    if (!frame) return null;
    return { file: frame.file === '<stdin>' ? file || EDITOR : frame.file, line: frame.line, message: info.message };
  }

  return {
    async getProject() {
      return { root: project.root, files: await project.list() };
    },
    readProjectFile: (p) => project.read(p),
    async writeProjectFile(p, text) {
      const isNew = !(await project.list()).includes(p);
      await project.write(p, text);
      if (isNew) emit('projectChanged', { root: project.root, files: await project.list() });
    },
    getBoardStatus: async () => status(board.state),
    getPins: async () => pins(),
    getTerminalHistory: async () => history.bytes(),
    async terminalInput(data) {
      await session.terminalInput(Buffer.from(data, 'utf8'));
    },
    async run(source, file): Promise<RunOutcome> {
      emit('runError', null);
      const started = session.run(source);
      emit('boardStatus', { ...status(board.state), state: 'running' });
      const r = await started;
      emit('boardStatus', status(board.state));
      if (r.aborted) return { ok: false, interrupted: false, error: null };
      const error = await locate(r.stderr.toString('utf8'), file);
      if (error) emit('runError', error);
      return { ok: r.stderr.length === 0, interrupted: r.interrupted, error };
    },
    stop: () => session.stop(),
    softReset: () => session.softReset(),
    hardReset: () => board.hardReset(),
    async upload(text, boardPath) {
      await boardFs.write(boardPath.startsWith('/') ? boardPath : `/${boardPath}`, Buffer.from(text, 'utf8'));
    },
    listBoardFiles: () => boardFs.list('/'),
    async readBoardFile(p) {
      return (await boardFs.read(p)).toString('utf8');
    },
    deleteBoardFile: (p) => boardFs.remove(p),
    async setButton(pressed) {
      buttonPressed = pressed;
      board.setButton(pressed);
      pinThrottle.changed();
    },
    async dispose() {
      pinThrottle.dispose();
      await board.close();
    },
  };
}
