// The fleet dashboard's calls. The fleet service (ota/server) starts with the
// back end, in the background: boards provisioned earlier connect to its
// broker whether or not anyone opens the fleet view, and a start failure (port
// in use, broker unreachable) is what the view shows rather than a crash. The
// broker is the user's choice (fleet/broker-settings.ts): by default the
// embedded aedes broker on 0.0.0.0:1883, every interface because real boards
// on the network must reach it, guarded by a credential made once and kept in
// the secret store (so it survives restarts). Boards get a login of their own
// to it (user = device id, a password derived from that credential) and may
// use only their own topics; the credential itself stays the IDE's, and
// boards provisioned before keep working with it. Switching brokers
// (fleetSetBroker) saves nothing until the new one runs. The service keeps its database, blobs and 0600 signing
// key under <dataDir>/fleet, and pushes a rate-limited `fleet` event whenever
// devices or rollouts change.

import * as path from 'node:path';
import {
  FLEET_PREFIX, MAX_SIMULATED_BOARDS, SIMULATED_GROUP, type FleetBrokerInfo, type FleetBrokerRequest, type FleetRolloutAction, type FleetStatus,
} from '../common/fleet-types.js';
import type { EventSink, MoteBackend } from '../common/api.js';
import type { BrokerConfig } from '../../ota/server/broker/broker-config.js';
import { deviceBrokerPassword } from '../../ota/server/broker/device-login.js';
import { EmbeddedBroker, LISTEN_FAILED } from '../../ota/server/broker/embedded-broker.js';
import { FleetService } from '../../ota/server/fleet-service.js';
import { AgentBoards } from './fleet/agent-boards.js';
import { probeBroker } from './fleet/broker-probe.js';
import { boardEndpoint } from './fleet/broker-reach.js';
import { BrokerSettingsStore, brokerSummary, type PreparedBroker } from './fleet/broker-settings.js';
import { fleetStatus, rolloutInfo } from './fleet/fleet-status.js';
import { provisionConnected, type ProvisionHost } from './fleet/provision-api.js';
import { PinThrottle } from './pin-throttle.js';
import { FileSecretStore, type SecretStore } from './secrets/secret-store.js';

export type FleetApi = Pick<
  MoteBackend,
  | 'fleetStatus' | 'fleetCreateRelease' | 'fleetStartRollout' | 'fleetRolloutAction' | 'fleetSimulate' | 'fleetStopSimulation' | 'fleetProvision'
  | 'fleetBrokerSettings' | 'fleetTestBroker' | 'fleetSetBroker'
>;

export interface FleetHost {
  dataDir: string;
  projectRoot(): string;
  emit: EventSink;
  /** Where broker passwords are kept (default: a 0600 file in dataDir; Electron passes a safeStorage-sealed one). */
  secrets?: SecretStore;
  /** This broker instead of the saved settings (benchmarks); fleetSetBroker is refused then. */
  broker?: BrokerConfig;
  /** Least time between two `fleet` events (default 250 ms): a wave of reports becomes one refresh. */
  eventIntervalMs?: number;
  /** The connected board and the back end's transfer runner, for fleetProvision. */
  board?: Pick<ProvisionHost, 'board' | 'transferring'>;
}

/** The embedded broker with a login also lets boards log in as themselves, confined to their own topics. */
function withDeviceLogins<C extends BrokerConfig>(cfg: C): C {
  return cfg.kind === 'embedded' && cfg.username !== undefined ? { ...cfg, devicePrefix: FLEET_PREFIX } : cfg;
}

/** How board `id` logs in to the broker `cfg`: its own login on the embedded broker; null for an external one (the user's to give). */
function deviceLogin(cfg: BrokerConfig, id: string): { username: string; password: string } | null {
  if (cfg.kind !== 'embedded' || cfg.devicePrefix === undefined || !cfg.password) return null;
  return { username: id, password: deviceBrokerPassword(cfg.password, id) };
}

export function fleetApi(host: FleetHost): FleetApi & { dispose(): Promise<void> } {
  const dir = path.join(host.dataDir, 'fleet');
  const boards = new AgentBoards(path.join(dir, 'simulated-boards'));
  const settings = new BrokerSettingsStore(dir, host.secrets ?? new FileSecretStore(host.dataDir));
  const intervalMs = host.eventIntervalMs ?? 250;
  let starting: Promise<FleetService> | null = null;
  /** Why the service is not running, for the status line; null while it runs or starts. */
  let startError: string | null = null;
  /** Broker switches, one at a time. */
  let switching: Promise<unknown> = Promise.resolve();
  let inSwitch: Promise<unknown> | null = null;
  let disposed = false;
  let running: { s: FleetService; offs: Array<() => void>; broker: BrokerConfig } | null = null;

  const status = (s: FleetService): FleetStatus => fleetStatus(s, { boards: boards.count, group: SIMULATED_GROUP });
  const throttle = new PinThrottle(() => running && host.emit('fleet', status(running.s)), intervalMs);
  const changed = () => {
    if (!disposed) throttle.changed();
  };

  /** Starts the service on `broker` (the saved one by default); its failure is kept for the status line and thrown. */
  function launch(broker?: BrokerConfig): Promise<FleetService> {
    const p = (async () => {
      const cfg = withDeviceLogins(broker ?? host.broker ?? (await settings.current()).config);
      const s = await FleetService.start({ dataDir: dir, broker: cfg, prefix: FLEET_PREFIX });
      running = { s, offs: [s.engine.onRolloutChanged(changed), s.onDeviceChanged(changed)], broker: cfg };
      startError = null;
      return s;
    })().catch((e: Error) => {
      startError = withHint(e);
      throw new Error(`could not start the fleet service: ${startError}`);
    });
    starting = p;
    // A failed start is retried by the next call (e.g. once the external broker is up).
    p.catch(() => starting === p && (starting = null));
    return p;
  }

  function service(): Promise<FleetService> {
    if (disposed) return Promise.reject(new Error('the fleet service is shut down'));
    // Mid-switch there is no service to give, and starting the old one again would race the new one.
    if (inSwitch) return inSwitch.then(service, service);
    return starting ?? launch();
  }

  /** Stops the running service (a start under way finishes first), and the simulated boards that were on its broker. */
  async function stop(): Promise<void> {
    await starting?.catch(() => null);
    starting = null;
    const r = running;
    running = null;
    await boards.stopAll();
    r?.offs.forEach((off) => off());
    await r?.s.close();
  }

  const info = (): FleetBrokerInfo => {
    const s = settings.load();
    return { settings: s, passwordSet: settings.passwordSet, summary: brokerSummary(s), error: startError };
  };

  /** Switches to `next` only once it works; otherwise the previous broker is started again and stays saved. */
  async function switchTo(next: PreparedBroker): Promise<FleetBrokerInfo> {
    if (host.broker) throw new Error('this fleet runs on a broker fixed by its host; its settings cannot change here');
    if (next.config.kind === 'external') await probeBroker(next.config);
    const before = settings.load();
    await stop();
    try {
      await launch(next.config);
    } catch (e) {
      await launch().catch(() => undefined);
      throw new Error(`${(e as Error).message.replace(/^could not start the fleet service: /, '')}; still using ${brokerSummary(before)}`);
    }
    settings.save(next);
    running?.s.audit.append('fleet.broker', { broker: brokerSummary(next.settings) });
    changed();
    return info();
  }

  // Started with the back end, after it is made (opening the database and key is synchronous work the
  // window should not wait for); callers see the outcome through fleetStatus and fleetBrokerSettings.
  const early = setImmediate(() => void service().catch(() => undefined));

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
      const cfg = running?.s === s ? running.broker : null;
      const shared = { user: s.endpoint.username, password: s.endpoint.password };
      const ids = await boards.start(count, {
        broker: s.endpoint.url,
        login: (id) => {
          const own = cfg && deviceLogin(cfg, id);
          return own ? { user: own.username, password: own.password } : shared;
        },
        prefix: s.topics.prefix, publicKey: s.key.publicKey, group: SIMULATED_GROUP,
      });
      s.audit.append('fleet.simulated', { boards: ids.length, group: SIMULATED_GROUP });
      changed();
      return status(s);
    },

    async fleetProvision(req) {
      if (!host.board) throw new Error('no board is connected here to provision');
      // The saved broker is the running one (a switch saves only once its broker runs).
      const boardBroker = host.broker ? undefined : () => boardEndpoint(settings.load(), settings.embeddedLogin());
      const ownLogin = (id: string) => (running ? deviceLogin(running.broker, id) : null);
      const r = await provisionConnected({ ...host.board, service, emit: host.emit, boardBroker, deviceLogin: ownLogin }, req);
      changed();
      return r;
    },

    async fleetStopSimulation() {
      await boards.stopAll();
      changed();
    },

    fleetBrokerSettings: async () => info(),

    async fleetTestBroker(req: FleetBrokerRequest) {
      const next = await settings.prepare(req);
      if (next.config.kind === 'external') {
        await probeBroker(next.config);
        return `Connected to ${brokerSummary(next.settings)}`;
      }
      const where = `${next.config.host}:${next.config.port}`;
      if (running && brokerSummary(settings.load()) === brokerSummary(next.settings)) return `The embedded broker is running on ${where}`;
      // The broker itself, briefly, as it would really start: the same checks, and the same words.
      await (await EmbeddedBroker.start(withDeviceLogins(next.config))).close();
      return `The embedded broker can listen on ${where}`;
    },

    fleetSetBroker(req: FleetBrokerRequest) {
      const r = switching.then(async () => {
        if (disposed) throw new Error('the fleet service is shut down');
        const next = await settings.prepare(req);
        const p = switchTo(next);
        inSwitch = p;
        try {
          return await p;
        } finally {
          inSwitch = null;
        }
      });
      switching = r.catch(() => undefined);
      return r;
    },

    async dispose() {
      disposed = true;
      clearImmediate(early);
      await switching;
      await stop();
      throttle.dispose();
    },
  };
}

/** How to get out of a listen failure: the port is never silently changed, so say where to change it. */
function withHint(e: Error): string {
  return (e as NodeJS.ErrnoException).code === LISTEN_FAILED ? `${e.message}: change the port or address with Broker… in the Fleet view` : e.message;
}
