// DEVELOPMENT ONLY: the fake back end's fleet: an empty dashboard whose
// actions explain that the real back end is needed (it runs the broker and
// the simulated boards).

import type { FleetStatus, MoteApi } from '../../../main/common/api';

type FleetCalls = Pick<
  MoteApi,
  'fleetStatus' | 'fleetCreateRelease' | 'fleetStartRollout' | 'fleetRolloutAction' | 'fleetSimulate' | 'fleetStopSimulation' | 'fleetProvision' | 'fleetBrokerSettings' | 'fleetTestBroker' | 'fleetSetBroker'
>;

const EMPTY: FleetStatus = {
  broker: { url: 'mqtt://127.0.0.1:1883', lastError: null },
  devices: [],
  groups: [],
  releases: [],
  rollouts: [],
  audit: [],
  simulated: { boards: 0, group: 'simulated' },
};

export function fakeFleet(): FleetCalls {
  const refuse = async (): Promise<never> => {
    throw new Error('the fake back end has no fleet service: start Mote Studio with `npm start`');
  };
  return {
    fleetStatus: async () => EMPTY,
    fleetCreateRelease: refuse,
    fleetStartRollout: refuse,
    fleetRolloutAction: refuse,
    fleetSimulate: refuse,
    fleetStopSimulation: refuse,
    fleetProvision: refuse,
    fleetBrokerSettings: async () => ({ settings: { kind: 'embedded', host: '127.0.0.1', port: 1883 }, passwordSet: true, summary: 'Embedded broker on 127.0.0.1:1883', error: null }),
    fleetTestBroker: refuse,
    fleetSetBroker: refuse,
  };
}
