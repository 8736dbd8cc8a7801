import { describe, expect, it } from 'vitest';
import { isLocalAddress, networkSettings, refusal } from './address-policy.js';

describe('which addresses a simulated board may reach', () => {
  it('allows loopback, private and link-local addresses', () => {
    for (const ip of ['127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.4.1', '169.254.10.10', '::1', 'fd12::1', 'fe80::1', '::ffff:192.168.1.5']) {
      expect(isLocalAddress(ip), ip).toBe(true);
    }
  });

  it('treats everything else as public, including look-alikes next to the private ranges', () => {
    for (const ip of ['8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '11.0.0.1', '203.0.113.7', '2001:db8::1', '::ffff:8.8.8.8', 'not-an-ip', '']) {
      expect(isLocalAddress(ip), ip).toBe(false);
    }
  });

  it('refuses public addresses with a reason naming the setting, unless allowPublic is on', () => {
    expect(refusal('203.0.113.7', {})).toMatch(/203\.0\.113\.7 is public.*network setting/);
    expect(refusal('203.0.113.7', { allowPublic: true })).toBeNull();
    expect(refusal('192.168.1.20', {})).toBeNull();
  });

  it('reads the setting from SimBoard host settings and ignores anything malformed', () => {
    expect(networkSettings({ network: { allowPublic: true } })).toEqual({ allowPublic: true });
    expect(networkSettings({ network: { allowPublic: 'yes' } })).toEqual({ allowPublic: false });
    expect(networkSettings({ network: 3 })).toEqual({});
    expect(networkSettings(undefined)).toEqual({});
  });
});
