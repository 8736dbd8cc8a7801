import { expect, it } from 'vitest';
import { deviceBrokerPassword } from './device-login.js';

it('derives a stable password per device and per broker secret, never the secret itself', () => {
  const a = deviceBrokerPassword('broker-secret', 'dev-a');
  expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(deviceBrokerPassword('broker-secret', 'dev-a')).toBe(a);
  expect(deviceBrokerPassword('broker-secret', 'dev-b')).not.toBe(a);
  expect(deviceBrokerPassword('other-secret', 'dev-a')).not.toBe(a);
  expect(a).not.toContain('broker-secret');
});

it('refuses an id that is not a device id, and an empty secret', () => {
  expect(() => deviceBrokerPassword('s', 'a/b')).toThrow(/invalid device id/);
  expect(() => deviceBrokerPassword('s', '+')).toThrow(/invalid device id/);
  expect(() => deviceBrokerPassword('', 'dev-a')).toThrow(/no password/);
});
