// Provisioning: puts the OTA agent, the device's config (id, broker,
// credentials, fleet prefix) and the fleet's public key on a board through
// the verified upload path (runtime/common/board-fs.ts), so any Link works:
// USB serial, the simulator, WebREPL. The config file holds the broker
// password because the board needs it to connect; it is never printed.
// For an mqtts:// broker the CA certificate goes into its own file, DER.
// With auth "hmac" a fresh device key goes into that config too, and into the
// fleet's key folder on this computer, so later rollouts authenticate to it.

import * as fs from 'node:fs';
import { BoardFsError } from '../../runtime/common/board-errors.js';
import type { BoardFs } from '../../runtime/common/board-fs.js';
import { AGENT_CA_FILE, agentFiles } from '../device/agent-files.js';
import { DeviceKeys } from '../server/registry/device-keys.js';
import { deviceConfig, type DeviceSettings } from './device-config.js';

export interface ProvisionProgress {
  /** The board path being written (never its content). */
  path: string;
  file: number;
  files: number;
}

export interface ProvisionOptions {
  onProgress?: (p: ProvisionProgress) => void;
  signal?: AbortSignal;
  /** The fleet's device key folder: needed with auth "hmac"; otherwise any old key of this id is dropped from it. */
  deviceKeys?: DeviceKeys;
}

export interface ProvisionResult {
  written: string[];
  /** The board's own main.py, kept as the app in slot a. */
  movedApp: boolean;
}

const APP_MAIN = '/app/a/main.py';
const CONFIG = '/ota/config.json';

export async function provisionBoard(board: BoardFs, settings: DeviceSettings, opts: ProvisionOptions = {}): Promise<ProvisionResult> {
  // Checked first: a bad setting must not leave a half-provisioned board.
  const hmacKey = settings.auth === 'hmac' ? DeviceKeys.generate() : undefined;
  if (hmacKey && !opts.deviceKeys) throw new Error("auth hmac needs the fleet's device key folder, to keep the device's key on this computer");
  const config = Buffer.from(JSON.stringify(deviceConfig(settings, hmacKey)));
  const files: Array<[string, Buffer]> = [...agentFiles()].map(([p, host]) => [`/${p}`, fs.readFileSync(host)]);
  // The CA goes before the config that says to use it.
  if (settings.ca) files.push([`/${AGENT_CA_FILE}`, Buffer.from(settings.ca)]);
  files.push([CONFIG, config]);

  // The board's own program becomes the app in slot a, so it still runs after provisioning.
  const agentMain = files.find(([p]) => p === '/main.py')![1];
  const existing = await readIfThere(board, '/main.py');
  const movedApp = existing !== null && !existing.equals(agentMain) && (await readIfThere(board, APP_MAIN)) === null;
  if (movedApp) files.unshift([APP_MAIN, existing]);

  // main.py goes last: until then the board still boots what it had.
  files.sort(([a], [b]) => Number(a === '/main.py') - Number(b === '/main.py'));
  const written: string[] = [];
  for (const [i, [p, data]] of files.entries()) {
    opts.signal?.throwIfAborted();
    opts.onProgress?.({ path: p, file: i + 1, files: files.length });
    await board.put(p, data, { signal: opts.signal });
    written.push(p);
    // The host takes the new key the moment the board's config holds it: a
    // provisioning canceled before that leaves the board and its old key matching.
    if (p === CONFIG) {
      if (hmacKey) opts.deviceKeys!.save(settings.id, hmacKey);
      else opts.deviceKeys?.remove(settings.id);
    }
  }
  return { written, movedApp };
}

async function readIfThere(board: BoardFs, p: string): Promise<Buffer | null> {
  try {
    await board.stat(p);
  } catch (e) {
    if (e instanceof BoardFsError && e.code === 'ENOENT') return null;
    throw e;
  }
  return board.get(p);
}
