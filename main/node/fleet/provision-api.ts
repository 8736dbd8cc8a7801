// "Provision this board" in the IDE: the engine of `mote ota provision`
// (ota/provision) run on whatever board is connected, with the fleet's own
// key (only its public half reaches the board), or with auth "hmac" a key of
// the board's own that the fleet service keeps. An empty broker means the
// fleet's own: the simulated board gets the service's loopback endpoint, a
// real board the embedded broker's network address (host.boardBroker, which
// refuses when a real board could not reach it); either way with a login of
// the board's own there (host.deviceLogin), never the IDE's.

import type { FleetProvisionRequest, FleetProvisionResult } from '../../common/fleet-types.js';
import type { EventSink } from '../../common/api.js';
import type { BoardFs } from '../../../runtime/common/board-fs.js';
import type { FleetService } from '../../../ota/server/fleet-service.js';
import type { BrokerEndpoint } from '../../../ota/server/broker/broker-config.js';
import { caCertificateDer, checkDeviceSettings, type DeviceSettings } from '../../../ota/provision/device-config.js';
import { provisionBoard } from '../../../ota/provision/provision-board.js';
import { SIM_TARGET } from '../board-connection.js';

export interface ProvisionHost {
  service(): Promise<FleetService>;
  /** The connected board. */
  board(): { targetId: string; fs: BoardFs };
  /** The back end's one-transfer-at-a-time runner, so cancelTransfer() stops provisioning too. */
  transferring<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  emit: EventSink;
  /** The fleet's own broker as a real board on the network reaches it; throws why it cannot. Absent: real boards need a URL. */
  boardBroker?(): BrokerEndpoint;
  /** Board `id`'s own login to the fleet's broker (the embedded one); null or absent: the broker endpoint's own login. */
  deviceLogin?(id: string): { username: string; password: string } | null;
}

export async function provisionConnected(host: ProvisionHost, req: FleetProvisionRequest): Promise<FleetProvisionResult> {
  const board = host.board();
  const simulated = board.targetId === SIM_TARGET;
  // Refused before the fleet service starts: nothing to wait for when the answer is no.
  const own = req.broker.trim() || simulated ? null : ownBroker(host);
  const s = await host.service();
  const ownLogin = req.broker.trim() ? null : (host.deviceLogin?.(req.id) ?? null);
  const settings = brokerSettings(req, own ?? s.endpoint, ownLogin);
  const full: DeviceSettings = {
    ...settings,
    id: req.id,
    prefix: s.topics.prefix,
    publicKey: s.key.publicKey,
    tags: req.tags,
    wifi: req.wifiSsid ? { ssid: req.wifiSsid, password: req.wifiPassword || undefined } : undefined,
    auth: req.auth,
    ca: brokerCa(settings.broker, s.endpoint),
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

function ownBroker(host: ProvisionHost): BrokerEndpoint {
  if (!host.boardBroker) throw new Error('a real board needs a broker URL it can reach (mqtt://host:port on your network)');
  return host.boardBroker();
}

/**
 * A board on an mqtts:// broker checks it with the CA of the fleet's own
 * broker settings (Broker…): boards and the fleet service meet on one broker,
 * and a second place to enter the same certificate would drift from the first.
 */
function brokerCa(url: string, fleet: BrokerEndpoint): Uint8Array | undefined {
  if (!/^(mqtts|tls):/i.test(url)) return undefined;
  if (!fleet.ca) {
    throw new Error(`${new URL(url).host} is a TLS broker: the board needs the CA that signed its certificate; choose the CA file in Broker… first`);
  }
  return caCertificateDer(fleet.ca, "the fleet broker's CA file");
}

/** The user's broker, or the fleet's own as this board reaches it (`own`), with the board's own login there when it has one. */
function brokerSettings(
  req: FleetProvisionRequest,
  own: BrokerEndpoint,
  ownLogin: { username: string; password: string } | null,
): Pick<DeviceSettings, 'broker' | 'user' | 'password'> {
  const user = req.user || undefined;
  const password = req.password || undefined;
  if (req.broker.trim()) return { broker: req.broker.trim(), user, password };
  if (user || password) throw new Error('leave user and password empty with the embedded broker: the IDE fills in its own');
  const login = ownLogin ?? own;
  return { broker: own.url, user: login.username, password: login.password };
}
