// The fleet dashboard's calls. The fleet service (ota/server) starts on the
// first fleet call, not with the IDE: most sessions never open the fleet view.
// By default it runs the embedded aedes broker on a free loopback port, keeps
// its database, blobs and 0600 signing key under <dataDir>/fleet, and pushes
// a rate-limited `fleet` event whenever devices or rollouts change.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { MAX_SIMULATED_BOARDS, SIMULATED_GROUP, type FleetRolloutAction, type FleetStatus } from '../common/fleet-types.js';
import type { EventSink, MoteBackend } from '../common/api.js';
import type { BrokerConfig } from '../../ota/server/broker/broker-config.js';
import { FleetService } from '../../ota/server/fleet-service.js';
import { AgentBoards } from './fleet/agent-boards.js';
import { fleetStatus, rolloutInfo } from './fleet/fleet-status.js';
import { provisionConnected, type ProvisionHost } from './fleet/provision-api.js';
import { PinThrottle } from './pin-throttle.js';

export type FleetApi = Pick<
  MoteBackend,
  'fleetStatus' | 'fleetCreateRelease' | 'fleetStartRollout' | 'fleetRolloutAction' | 'fleetSimulate' | 'fleetStopSimulation' | 'fleetProvision'
>;

export interface FleetHost {
  dataDir: string;
  projectRoot(): string;
  emit: EventSink;
  /** An external broker instead of the embedded one. */
  broker?: BrokerConfig;
  /** Least time between two `fleet` events (default 250 ms): a wave of reports becomes one refresh. */
  eventIntervalMs?: number;
  /** The connected board and the back end's transfer runner, for fleetProvision. */
  board?: Pick<ProvisionHost, 'board' | 'transferring'>;
}

export function fleetApi(host: FleetHost): FleetApi & { dispose(): Promise<void> } {
  const dir = path.join(host.dataDir, 'fleet');
  const boards = new AgentBoards(path.join(dir, 'simulated-boards'));
  // The embedded broker asks for a password, so only boards provisioned in this session get in.
  // It lives as long as the broker does, so it is never written anywhere.
  const brokerUser = { username: 'mote', password: randomBytes(18).toString('base64url') };
  const intervalMs = host.eventIntervalMs ?? 250;
  let starting: Promise<FleetService> | null = null;
  let disposed = false;
  let offs: Array<() => void> = [];
  let throttle: PinThrottle | null = null;

  const status = (s: FleetService): FleetStatus => fleetStatus(s, { boards: boards.count, group: SIMULATED_GROUP });
  const changed = () => {
    if (!disposed) throttle?.changed();
  };

  function service(): Promise<FleetService> {
    if (disposed) return Promise.reject(new Error('the fleet service is shut down'));
    starting ??= FleetService.start({ dataDir: dir, broker: host.broker ?? { kind: 'embedded', port: 0, ...brokerUser } }).then(
      (s) => {
        throttle = new PinThrottle(() => host.emit('fleet', status(s)), intervalMs);
        offs = [s.engine.onRolloutChanged(changed), s.onDeviceChanged(changed)];
        return s;
      },
      (e: Error) => {
        starting = null; // let a later call try again (e.g. after the external broker came up)
        throw new Error(`could not start the fleet service: ${e.message}`);
      },
    );
    return starting;
  }

  return {
    fleetStatus: async () => status(await service()),

    async fleetCreateRelease() {
      const s = await service();
      const r = await s.buildRelease(host.projectRoot());
      changed();
      return status(s).releases.find((x) => x.seq === r.seq)!;
    },

    async fleetStartRollout(seq, group) {
      const s = await service();
      return rolloutInfo(s, s.startRollout(seq, group));
    },

    async fleetRolloutAction(id, action: FleetRolloutAction) {
      const s = await service();
      if (!s.rollouts.get(id)) throw new Error(`no rollout ${id}`);
      if (action === 'pause') s.engine.pause(id);
      else if (action === 'resume') s.engine.resume(id);
      else if (action === 'cancel') s.engine.cancel(id);
      else s.rollback(id);
      changed();
    },

    async fleetSimulate(count) {
      const s = await service();
      if (boards.count + count > MAX_SIMULATED_BOARDS) {
        throw new Error(`at most ${MAX_SIMULATED_BOARDS} simulated boards at once (${boards.count} running): each is a MicroPython interpreter of its own`);
      }
      const url = new URL(s.endpoint.url);
      const ids = await boards.start(count, {
        host: url.hostname, port: Number(url.port), user: s.endpoint.username, password: s.endpoint.password,
        prefix: s.topics.prefix, publicKey: s.key.publicKey, group: SIMULATED_GROUP,
      });
      s.audit.append('fleet.simulated', { boards: ids.length, group: SIMULATED_GROUP });
      changed();
      return status(s);
    },

    async fleetProvision(req) {
      if (!host.board) throw new Error('no board is connected here to provision');
      const r = await provisionConnected({ ...host.board, service, emit: host.emit }, req);
      changed();
      return r;
    },

    async fleetStopSimulation() {
      await boards.stopAll();
      changed();
    },

    async dispose() {
      disposed = true;
      await boards.stopAll();
      // A start still under way finishes first, so its listeners are there to remove.
      const s = await starting?.catch(() => null);
      throttle?.dispose();
      offs.forEach((off) => off());
      await s?.close();
    },
  };
}
