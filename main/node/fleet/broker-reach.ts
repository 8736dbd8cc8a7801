// Where a real board finds the fleet's own broker when provisioning leaves the
// broker field empty: the embedded broker at this computer's network address,
// with the login the IDE keeps, which provisioning then swaps for the board's
// own (ota/server/broker/device-login.ts). Never a loopback address (the board
// would dial itself) and never an external broker's credentials (those are the
// IDE's own; each board gets its own from whoever runs that broker).

import * as os from 'node:os';
import type { FleetBrokerSettings } from '../../common/fleet-types.js';
import type { BrokerEndpoint } from '../../../ota/server/broker/broker-config.js';

const NEEDS_URL = 'a real board needs a broker URL it can reach';

/** The embedded broker as a board on the network dials it; throws why a board cannot use the fleet's broker that way. */
export function boardEndpoint(
  s: FleetBrokerSettings,
  login: { username: string; password: string },
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): BrokerEndpoint {
  if (s.kind === 'external') {
    throw new Error(`${NEEDS_URL}: enter the fleet broker's URL with the board's own user name and password (the IDE does not hand out its own login)`);
  }
  if (/^(127\.|localhost$|::1$)/.test(s.host)) {
    throw new Error(`${NEEDS_URL}: the embedded broker listens on ${s.host} only; set its address to 0.0.0.0 in the Broker… dialog, or enter a broker URL`);
  }
  const wildcard = s.host === '0.0.0.0' || s.host === '::';
  const addr = wildcard ? lanAddress(interfaces) : s.host;
  if (!addr) throw new Error(`${NEEDS_URL}: this computer has no network address besides loopback, so enter a broker URL`);
  return { url: `mqtt://${addr.includes(':') ? `[${addr}]` : addr}:${s.port}`, ...login };
}

/** The first non-loopback IPv4 address (boards' MQTT clients rarely do IPv6). */
function lanAddress(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string | null {
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  }
  return null;
}
