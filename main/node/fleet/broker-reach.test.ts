import type * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { boardEndpoint } from './broker-reach.js';

const login = { username: 'mote', password: 'kept-credential' };
const nic = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({ address, family, internal }) as os.NetworkInterfaceInfo;
const interfaces = { lo: [nic('127.0.0.1', 'IPv4', true)], eth0: [nic('fe80::1', 'IPv6', false), nic('192.168.1.20', 'IPv4', false)] };

describe("a real board and the fleet's own broker", () => {
  it("gets the embedded broker at this computer's network address, with the kept credential", () => {
    expect(boardEndpoint({ kind: 'embedded', host: '0.0.0.0', port: 1883 }, login, interfaces)).toEqual({ url: 'mqtt://192.168.1.20:1883', ...login });
    expect(boardEndpoint({ kind: 'embedded', host: '10.0.0.7', port: 2883 }, login, interfaces)).toEqual({ url: 'mqtt://10.0.0.7:2883', ...login });
  });

  it('is told why not when it could not reach it, or when the broker is external', () => {
    expect(() => boardEndpoint({ kind: 'embedded', host: '127.0.0.1', port: 1883 }, login, interfaces)).toThrow(
      'a real board needs a broker URL it can reach: the embedded broker listens on 127.0.0.1 only; set its address to 0.0.0.0 in the Broker… dialog, or enter a broker URL',
    );
    expect(() => boardEndpoint({ kind: 'embedded', host: '0.0.0.0', port: 1883 }, login, { lo: interfaces.lo })).toThrow(/no network address besides loopback/);
    const external = { kind: 'external', url: 'mqtts://b:8883', username: 'ide', caFile: '', certFile: '', keyFile: '', acceptSelfSigned: false } as const;
    expect(() => boardEndpoint(external, login, interfaces)).toThrow(/enter the fleet broker's URL with the board's own user name and password/);
  });
});
