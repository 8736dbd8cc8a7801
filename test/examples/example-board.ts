// Runs a gallery example on a fresh simulated board, as the IDE's Run does
// (raw-paste through a BoardSession), with its drivers installed in /lib as
// opening it from the gallery does, and records what a user would see: the
// terminal text and every board view (LEDs, PWM, servos, strips, displays),
// each stamped with the host time it arrived.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoardFs } from '../../runtime/common/board-fs.js';
import { BoardSession, type RunResult } from '../../runtime/common/board-session.js';
import { pyStr } from '../../runtime/common/py-literal.js';
import type { BoardView, SimInput } from '../../runtime/sim/common/board-view.js';
import { profileById } from '../../runtime/sim/common/profiles.js';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { ByteCollector } from '../../runtime/testing/byte-collector.js';
import { findAppRoot } from '../../runtime/node/app-root.js';
import { parseExampleHeader } from '../../main/node/examples-api.js';

export const EXAMPLES_DIR = path.join(findAppRoot(), 'resources', 'examples');

export function exampleSource(id: string): string {
  return fs.readFileSync(path.join(EXAMPLES_DIR, `${id}.py`), 'utf8');
}

/**
 * Sets a setting at the top of an example (`URL = "..."`), as a user would
 * edit it. Throws unless the line is there exactly once, so a renamed setting
 * fails the test instead of silently running the default.
 */
export function withSetting(source: string, name: string, value: string | number): string {
  const line = new RegExp(`^${name} = .*$`, 'gm');
  const hits = source.match(line)?.length ?? 0;
  if (hits !== 1) throw new Error(`expected one "${name} = ..." line in the example, found ${hits}`);
  return source.replace(line, `${name} = ${typeof value === 'string' ? pyStr(value) : String(value)}`);
}

export interface ViewSample {
  /** performance.now() when the view arrived. */
  t: number;
  view: BoardView;
}

export class ExampleBoard {
  readonly views: ViewSample[] = [];
  private output = '';
  /** Woken by every view and every chunk of output. */
  private readonly waiters = new Set<() => void>();
  private run: Promise<RunResult> | null = null;

  private constructor(
    readonly board: SimBoard,
    readonly session: BoardSession,
    readonly fs: BoardFs,
    private readonly filesDir: string,
  ) {
    board.onView((view) => {
      this.views.push({ t: performance.now(), view });
      for (const w of [...this.waiters]) w();
    });
    session.onTerminal((b) => {
      this.output += Buffer.from(b).toString('utf8');
      for (const w of [...this.waiters]) w();
    });
  }

  /** A powered-on board at its prompt, with its own empty filesystem. */
  static async start(profileId = 'sim-pico'): Promise<ExampleBoard> {
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-example-'));
    const board = await SimBoard.start({ filesDir, profile: profileById(profileId) });
    const banner = new ByteCollector(board);
    await banner.waitForText('>>> ', 10_000);
    banner.dispose();
    const session = new BoardSession(board);
    return new ExampleBoard(board, session, new BoardFs(session), filesDir);
  }

  /** Copies the drivers the example's header names into the board's /lib, as opening it from the gallery does. */
  async installDrivers(id: string): Promise<string[]> {
    const { libs } = parseExampleHeader(exampleSource(id));
    for (const lib of libs) {
      await this.fs.mkdir(`/${path.posix.dirname(lib)}`, { parents: true });
      await this.fs.put(`/${lib}`, fs.readFileSync(path.join(EXAMPLES_DIR, lib)));
    }
    return libs;
  }

  /** Starts the example (or `source`, a user's edited copy of it); resolves once it is running. */
  async start(id: string, source = exampleSource(id)): Promise<void> {
    await this.installDrivers(id);
    this.output = '';
    this.run = this.session.run(source);
  }

  /** Runs a short snippet to its end and returns its output (the example must have ended). */
  async exec(source: string): Promise<RunResult> {
    return this.session.run(source);
  }

  /** Resolves when the program ends by itself. */
  finished(timeoutMs = 10_000): Promise<RunResult> {
    if (!this.run) throw new Error('nothing is running');
    return withTimeout(this.run, timeoutMs, `the program did not end; output so far:\n${this.output}`);
  }

  /** Ctrl-C, as the Stop button sends; resolves with the ended run. */
  async stop(): Promise<RunResult> {
    if (!this.run) throw new Error('nothing is running');
    await this.session.stop();
    const r = await this.finished(5000);
    this.run = null;
    return r;
  }

  get text(): string {
    return this.output;
  }

  /** Waits until the program's output matches; returns all matches of a /g pattern, or the one match. */
  waitForOutput(pattern: RegExp, count = 1, timeoutMs = 10_000): Promise<RegExpMatchArray[]> {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    return this.waitFor(
      this.waiters,
      () => {
        const all = [...this.output.matchAll(global)];
        return all.length >= count ? all : null;
      },
      timeoutMs,
      () => `output matching ${pattern} x${count}; output so far:\n${this.output}`,
    );
  }

  /** Waits until `check` (of the output and views so far) holds. */
  waitUntil<T>(check: () => T | null | false, what: string, timeoutMs = 10_000): Promise<T> {
    return this.waitFor(this.waiters, () => check() || null, timeoutMs, () => `${what}; output so far:\n${this.output}`);
  }

  /** Waits for a board view that satisfies `test` (the current one counts). */
  waitForView(test: (v: BoardView) => boolean, what: string, timeoutMs = 10_000): Promise<BoardView> {
    return this.waitFor(
      this.waiters,
      () => (test(this.board.view) ? this.board.view : null),
      timeoutMs,
      () => `${what}; last view: ${JSON.stringify(this.board.view, (_k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))}`,
    );
  }

  /** Waits until `count` samples satisfy `test` since `from` (an index into views). */
  waitForSamples(test: (v: BoardView) => boolean, count: number, what: string, from = 0, timeoutMs = 10_000): Promise<ViewSample[]> {
    return this.waitFor(
      this.waiters,
      () => {
        const hits = this.views.slice(from).filter((s) => test(s.view));
        return hits.length >= count ? hits : null;
      },
      timeoutMs,
      () => `${count} views with ${what}`,
    );
  }

  setInput(input: SimInput): void {
    this.board.setInput(input);
  }

  async close(): Promise<void> {
    await this.board.close();
    fs.rmSync(this.filesDir, { recursive: true, force: true });
  }

  private waitFor<T>(waiters: Set<() => void>, check: () => T | null, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = () => {
        const r = check();
        if (r === null) return false;
        cleanup();
        resolve(r);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(onChange);
      };
      const onChange = () => void done();
      if (done()) return;
      waiters.add(onChange);
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Moments a GPIO output changed level, from the recorded views. */
export function levelChanges(views: readonly ViewSample[], gpio: number): Array<{ t: number; level: 0 | 1 }> {
  const out: Array<{ t: number; level: 0 | 1 }> = [];
  for (const { t, view } of views) {
    const level = view.outputs[gpio];
    if (level === undefined) continue;
    if (out.length === 0 || out[out.length - 1].level !== level) out.push({ t, level });
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function intervals(changes: ReadonlyArray<{ t: number }>): number[] {
  return changes.slice(1).map((c, i) => c.t - changes[i].t);
}
