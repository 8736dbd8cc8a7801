// "Simulate fleet": simulated boards that run the real MicroPython OTA agent
// (ota/device) on the real interpreter, each with its own files folder,
// provisioned the way a USB provisioning would leave a board: boot.py and
// main.py of the agent, lib/mote_ota, ota/config.json with the device's
// credentials and the fleet's public key, and an empty first app slot.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { PICO_W } from '../../../runtime/sim/common/profiles/pico-w.js';
import { SimBoard } from '../../../runtime/sim/node/sim-board.js';
import { layOutBoard, simBoardConfig } from '../../../ota/device/agent-board.js';

export interface AgentProvisioning {
  /** mqtt://host:port of the fleet's broker, as the boards reach it. */
  broker: string;
  /** Board `id`'s broker login: its own on the embedded broker, so each board may use only its own topics. */
  login(id: string): { user?: string; password?: string };
  prefix: string;
  /** The fleet's Ed25519 public key, raw 32 bytes. */
  publicKey: Buffer;
  group: string;
}

export class AgentBoards {
  private readonly boards = new Map<string, SimBoard>();
  private next = 1;

  /**
   * @param rootDir where each board's files folder is made (emptied for every new board)
   */
  constructor(private readonly rootDir: string) {}

  get count(): number {
    return this.boards.size;
  }

  get ids(): string[] {
    return [...this.boards.keys()];
  }

  /** Provisions and powers on `n` boards; resolves once each interpreter is running (the agent connects shortly after). */
  async start(n: number, p: AgentProvisioning): Promise<string[]> {
    const made: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = `simboard-${String(this.next++).padStart(3, '0')}`;
      const filesDir = path.join(this.rootDir, id);
      this.provision(filesDir, id, p);
      // Started one at a time: each board is a worker loading the interpreter, and the machine has few cores.
      this.boards.set(id, await SimBoard.start({ filesDir, profile: PICO_W }));
      made.push(id);
    }
    return made;
  }

  async stopAll(): Promise<void> {
    const all = [...this.boards.values()];
    this.boards.clear();
    await Promise.all(all.map((b) => b.close()));
  }

  private provision(dir: string, id: string, p: AgentProvisioning): void {
    // The agent joins the simulator's access point itself (simBoardConfig), as a provisioned real board joins its Wi-Fi.
    const { user, password } = p.login(id);
    const login = user !== undefined ? { user, password: password ?? '' } : {};
    layOutBoard(dir, simBoardConfig(p.broker, p.prefix, p.publicKey, id, { tags: [p.group], block: 2048, ...login }), {});
    // An empty first app slot, as a freshly provisioned board has.
    fs.mkdirSync(path.join(dir, 'app', 'a'), { recursive: true });
  }
}
