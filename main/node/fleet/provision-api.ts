// "Provision this board" in the IDE: the engine of `mote ota provision`
// (ota/provision) run on whatever board is connected, with the fleet's own
// key (only its public half reaches the board), or with auth "hmac" a key of
// the board's own that the fleet service keeps. An empty broker means the
// embedded one, which only the simulated board can use: it listens on
// loopback with a password that changes every start, so a real board given
// those would never connect and the user would not know why.

import type { FleetProvisionRequest, FleetProvisionResult } from '../../common/fleet-types.js';
import type { EventSink } from '../../common/api.js';
import type { BoardFs } from '../../../runtime/common/board-fs.js';
import type { FleetService } from '../../../ota/server/fleet-service.js';
import { checkDeviceSettings, type DeviceSettings } from '../../../ota/provision/device-config.js';
import { provisionBoard } from '../../../ota/provision/provision-board.js';
import { SIM_TARGET } from '../board-connection.js';

export interface ProvisionHost {
  service(): Promise<FleetService>;
  /** The connected board. */
  board(): { targetId: string; fs: BoardFs };
  /** The back end's one-transfer-at-a-time runner, so cancelTransfer() stops provisioning too. */
  transferring<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  emit: EventSink;
}

export async function provisionConnected(host: ProvisionHost, req: FleetProvisionRequest): Promise<FleetProvisionResult> {
  const board = host.board();
  const simulated = board.targetId === SIM_TARGET;
  // Refused before the fleet service starts: nothing to wait for when the answer is no.
  if (!req.broker.trim() && !simulated) {
    throw new Error(
      'a real board needs a broker URL it can reach (mqtt://host:port on your network): ' +
        "the IDE's embedded broker listens on this computer only, with a password that changes every start",
    );
  }
  const s = await host.service();
  const settings = brokerSettings(req, s);
  const full: DeviceSettings = {
    ...settings,
    id: req.id,
    prefix: s.topics.prefix,
    publicKey: s.key.publicKey,
    tags: req.tags,
    wifi: req.wifiSsid ? { ssid: req.wifiSsid, password: req.wifiPassword || undefined } : undefined,
    auth: req.auth,
  };
  // Checked here too so a bad setting is refused before the transfer slot is taken.
  checkDeviceSettings(full);
  const r = await host.transferring((signal) =>
    provisionBoard(board.fs, full, {
      signal,
      deviceKeys: s.deviceKeys,
      onProgress: (p) => host.emit('transferProgress', { label: p.path, done: p.file - 1, total: p.files, bytesPerSecond: 0 }),
    }),
  );
  s.audit.append('fleet.provisioned', { id: req.id, board: board.targetId, tags: req.tags ?? [], auth: req.auth ?? 'ed25519' });
  const u = new URL(settings.broker);
  return { id: req.id, broker: `${u.protocol}//${u.host}`, files: r.written.length, movedApp: r.movedApp };
}

/** The user's broker, or (simulated board only, checked by the caller) the fleet service's own. */
function brokerSettings(req: FleetProvisionRequest, s: FleetService): Pick<DeviceSettings, 'broker' | 'user' | 'password'> {
  const user = req.user || undefined;
  const password = req.password || undefined;
  if (req.broker.trim()) return { broker: req.broker.trim(), user, password };
  if (user || password) throw new Error('leave user and password empty with the embedded broker: the IDE fills in its own');
  const e = s.endpoint;
  return { broker: e.url, user: e.username, password: e.password };
}
