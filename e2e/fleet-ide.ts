// The IDE for the fleet's end-to-end tests: openIdePage with the embedded
// broker saved on a free port of its own first (other test files' back ends
// may hold 1883).
import { useFreeBrokerPort } from '../main/node/fleet/broker-test-port.js';
import { openIdePage, type IdePage, type IdePageOptions } from './ide-page.js';

export interface FleetIde extends IdePage {
  /** The embedded broker's port. */
  brokerPort: number;
}

export async function openFleetIde(options: Omit<IdePageOptions, 'serve'> = {}): Promise<FleetIde> {
  let brokerPort = 0;
  const ide = await openIdePage({
    ...options,
    beforeLaunch: async (dirs) => {
      brokerPort = await useFreeBrokerPort(dirs.dataDir);
      return options.beforeLaunch?.(dirs);
    },
  });
  return { ...ide, brokerPort };
}
