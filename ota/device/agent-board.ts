// Simulated boards running the real agent (ota/device/*.py) for tests and
// benchmarks: the board's flash is a host folder laid out as provisioning
// lays out a real board, the board powers on into boot.py and main.py, and
// the agent reaches the broker through the simulator's network.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';
import { agentFiles, type AgentConfig } from './agent-files.js';

export type { AgentConfig } from './agent-files.js';

/** The simulator's access point takes any name and password. */
export const SIM_WIFI = { ssid: 'MoteNet', wifi_password: 'secret' } as const;

/** A config for a board reaching the broker at `brokerUrl` through the simulator's Wi-Fi. */
export function simBoardConfig(brokerUrl: string, prefix: string, publicKey: Uint8Array, id: string, extra: Partial<AgentConfig> = {}): AgentConfig {
  const u = new URL(brokerUrl);
  return { id, host: u.hostname, port: Number(u.port || 1883), prefix, key: Buffer.from(publicKey).toString('hex'), block: 1024, window: 4, ...SIM_WIFI, ...extra };
}

export class AgentBoard {
  board: SimBoard | null = null;
  /** What the board printed (its serial output), the last 4 KB: for failure messages. */
  output = '';
  private constructor(readonly dir: string, private cfg: AgentConfig) {}

  get id(): string {
    return this.cfg.id;
  }

  /** Lays out a board's flash in `dir` (layOutBoard). */
  static create(dir: string, cfg: AgentConfig, app: Record<string, Buffer | string>): AgentBoard {
    layOutBoard(dir, cfg, app);
    return new AgentBoard(dir, cfg);
  }

  /** Powers the board on: boot.py, then main.py runs the agent. */
  async powerOn(): Promise<void> {
    this.board = await SimBoard.start({ filesDir: this.dir });
    this.board.onData((d) => {
      this.output = (this.output + Buffer.from(d).toString('utf8')).slice(-4096);
    });
  }

  /**
   * Cuts the power and powers on again: the worker running the interpreter is
   * terminated wherever it is, and a fresh one boots from the flash. A `halt`
   * step is cleared first so the agent goes on after the reboot.
   */
  async powerCut(): Promise<void> {
    if (this.cfg.halt) {
      delete this.cfg.halt;
      this.writeConfig();
    }
    await this.board!.hardReset();
  }

  setHalt(step: string | undefined): void {
    this.cfg.halt = step;
    this.writeConfig();
  }

  /** The slot boot.py would start now, by the same rule. */
  activeSlot(): string {
    for (const p of ['slot', 'slot.tmp']) {
      const f = path.join(this.dir, 'ota', p);
      if (fs.existsSync(f)) return fs.readFileSync(f, 'utf8').trim();
    }
    return 'a';
  }

  /** Every file of the active slot, relative path → content. */
  activeApp(): Map<string, Buffer> {
    const root = path.join(this.dir, 'app', this.activeSlot());
    const out = new Map<string, Buffer>();
    for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const abs = path.join(e.parentPath, e.name);
      out.set(path.relative(root, abs).split(path.sep).join('/'), fs.readFileSync(abs));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.board?.close();
    this.board = null;
  }

  private writeConfig(): void {
    writeConfig(this.dir, this.cfg);
  }
}

/** Lays out a board's flash in `dir` (emptied first) as provisioning leaves it: the agent, its config, and `app` in slot a. */
export function layOutBoard(dir: string, cfg: AgentConfig, app: Record<string, Buffer | string>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [boardPath, host] of agentFiles()) put(dir, boardPath, fs.readFileSync(host));
  for (const [p, data] of Object.entries(app)) put(dir, `app/a/${p}`, data);
  writeConfig(dir, cfg);
}

// The board's credentials: readable by the user only, as on the host side.
function writeConfig(dir: string, cfg: AgentConfig): void {
  put(dir, 'ota/config.json', JSON.stringify(cfg), 0o600);
}

function put(dir: string, boardPath: string, data: Buffer | string, mode?: number): void {
  const p = path.join(dir, ...boardPath.split('/'));
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data, { mode });
}
