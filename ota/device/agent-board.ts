// Simulated boards running the real agent (ota/device/*.py) for tests and
// benchmarks: the board's flash is a host folder laid out as provisioning
// lays out a real board, the board powers on into boot.py and main.py, and
// the agent reaches the broker through the simulator's network.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { SimBoard } from '../../runtime/sim/node/sim-board.js';

const here = import.meta.dirname;

/** The agent's files, board path → host path: what provisioning writes. */
export function agentFiles(): Map<string, string> {
  const out = new Map<string, string>([
    ['boot.py', path.join(here, 'boot.py')],
    ['main.py', path.join(here, 'main.py')],
  ]);
  for (const f of fs.readdirSync(path.join(here, 'mote_ota')).filter((n) => n.endsWith('.py')).sort())
    out.set(`lib/mote_ota/${f}`, path.join(here, 'mote_ota', f));
  return out;
}

/** /ota/config.json on a board (ota/device/README.md). */
export interface AgentConfig {
  id: string;
  host: string;
  port: number;
  prefix: string;
  /** The fleet's raw Ed25519 public key, hex. */
  key: string;
  user?: string;
  password?: string;
  tags?: string[];
  block?: number;
  window?: number;
  timeout_ms?: number;
  /** Wi-Fi the agent joins first; left out where boot.py or the firmware does it. */
  ssid?: string;
  wifi_password?: string;
  /** Tests only: publish each step on P/dev/<id>/trace ... */
  trace?: boolean;
  /** ... and stop at this one, so the test can cut the power there. */
  halt?: string;
}

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

  /** Lays out a board's flash in `dir`: the agent, its config, and `app` in slot a. */
  static create(dir: string, cfg: AgentConfig, app: Record<string, Buffer | string>): AgentBoard {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [boardPath, host] of agentFiles()) put(dir, boardPath, fs.readFileSync(host));
    for (const [p, data] of Object.entries(app)) put(dir, `app/a/${p}`, data);
    const b = new AgentBoard(dir, cfg);
    b.writeConfig();
    return b;
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
    put(this.dir, 'ota/config.json', JSON.stringify(this.cfg));
  }
}

function put(dir: string, boardPath: string, data: Buffer | string): void {
  const p = path.join(dir, ...boardPath.split('/'));
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
}
