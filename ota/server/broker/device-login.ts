// Each board's own login to the embedded broker. The password is derived from
// the broker's kept password rather than made and stored per board: nothing to
// store, back up or rotate board by board, and rotating the broker's password
// re-keys every board at once. HMAC keeps the derivation one-way, so a board's
// password (readable from its flash) reveals neither the broker's password nor
// any other board's.

import { createHmac } from 'node:crypto';
import { checkDeviceId } from '../../common/topics.js';

/** Fixed, so the same broker password and id always give the same device password. */
const LABEL = 'mote-fleet/embedded-broker/device-login/v1:';
/** 32 base64url characters: 192 bits, short enough for any MQTT client's password buffer. */
const LENGTH = 32;

/** The password device `deviceId` presents to the embedded broker whose own password is `brokerSecret`. */
export function deviceBrokerPassword(brokerSecret: string, deviceId: string): string {
  if (!brokerSecret) throw new Error('the embedded broker has no password to derive device passwords from');
  checkDeviceId(deviceId);
  return createHmac('sha256', brokerSecret).update(LABEL + deviceId).digest('base64url').slice(0, LENGTH);
}
