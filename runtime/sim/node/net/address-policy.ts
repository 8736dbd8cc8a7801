// Which hosts a simulated board may reach. By default only loopback and
// private networks: a program running in the simulator must not become a way
// to reach the internet (or be steered there by a copied example) without the
// user saying so. The check runs on the resolved address, after DNS, so a
// name that resolves to a public address is refused like the address itself.

import { BlockList, isIP } from 'node:net';

/** Per-board network settings, as SimBoard's `hostSettings.network`. */
export interface NetworkSettings {
  /** Allow addresses outside loopback and private ranges (default false). */
  allowPublic?: boolean;
}

const LOCAL = new BlockList();
// IPv4: loopback, RFC 1918 private networks, link-local (a device on the
// same Wi-Fi without DHCP).
LOCAL.addSubnet('127.0.0.0', 8, 'ipv4');
LOCAL.addSubnet('10.0.0.0', 8, 'ipv4');
LOCAL.addSubnet('172.16.0.0', 12, 'ipv4');
LOCAL.addSubnet('192.168.0.0', 16, 'ipv4');
LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
// IPv6: loopback, unique local, link-local.
LOCAL.addAddress('::1', 'ipv6');
LOCAL.addSubnet('fc00::', 7, 'ipv6');
LOCAL.addSubnet('fe80::', 10, 'ipv6');

/** True for loopback, private and link-local addresses (IPv4, IPv6, IPv4-mapped IPv6). */
export function isLocalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return LOCAL.check(mapped[1], 'ipv4');
  return LOCAL.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export function networkSettings(settings: Readonly<Record<string, unknown>> | undefined): NetworkSettings {
  const n = settings?.network;
  if (!n || typeof n !== 'object') return {};
  const allowPublic = (n as Record<string, unknown>).allowPublic;
  return { allowPublic: allowPublic === true };
}

/** Null when the board may connect to `ip`, else why not (shown to the user on the board). */
export function refusal(ip: string, settings: NetworkSettings): string | null {
  if (settings.allowPublic || isLocalAddress(ip)) return null;
  return (
    `the simulator reaches only loopback and private addresses, and ${ip} is public ` +
    `(allow public addresses in the simulator's network setting)`
  );
}
