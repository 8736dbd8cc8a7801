// For tests whose back end runs the fleet: the embedded broker on a free port
// of their own, saved as the Broker dialog would, since test files run side by
// side and each back end starts its broker (default port 1883) at once.

import * as path from 'node:path';
import { DEFAULT_EMBEDDED_BROKER } from '../../common/fleet-types.js';
import { freePort } from '../../../ota/testing/mosquitto.js';
import { FileSecretStore } from '../secrets/secret-store.js';
import { BrokerSettingsStore } from './broker-settings.js';

/** Saves the embedded broker on `port` (a free one by default) as the fleet's broker; resolves with the port. */
export async function useFreeBrokerPort(dataDir: string, host = DEFAULT_EMBEDDED_BROKER.host, port?: number): Promise<number> {
  port ??= await freePort();
  const store = new BrokerSettingsStore(path.join(dataDir, 'fleet'), new FileSecretStore(dataDir));
  store.save(await store.prepare({ kind: 'embedded', host, port }));
  return port;
}
