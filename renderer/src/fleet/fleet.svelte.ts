// The fleet view's state: whether it is open, the last status the back end
// pushed, the broker in use, and the operator's actions. The fleet service
// runs from the back end's start; nothing is asked of it until the view opens.

import type { FleetBrokerInfo, FleetBrokerRequest, FleetProvisionRequest, FleetProvisionResult, FleetRolloutAction, FleetStatus, MoteApi, TransferProgress } from '../../../main/common/api';
import { loadFlag, saveFlag } from '../state/stored-flag';
import { describeError } from '../state/toasts.svelte';

const OPEN_KEY = 'mote.fleet.open';

export class FleetState {
  open = $state(loadFlag(OPEN_KEY));
  status = $state.raw<FleetStatus | null>(null);
  /** What the service could not do at start (shown in the view instead of the dashboard). */
  error = $state<string | null>(null);
  /** The broker setting and why it is not running, for the status line and the Broker dialog. */
  broker = $state.raw<FleetBrokerInfo | null>(null);
  /** The action running now ('release', 'rollout', 'simulate', 'pause' ...), so its button shows it. */
  busy = $state<string | null>(null);
  /** The device table's group filter ('' = every group). */
  group = $state('');
  /** How many boards "Simulate fleet" starts. */
  simulateCount = $state(5);

  private api: MoteApi | null = null;
  private loading: Promise<void> | null = null;

  /** Listens for fleet events; loads the status when the view is open. */
  connect(api: MoteApi): () => void {
    this.api = api;
    const off = api.on('fleet', (s) => (this.status = s));
    if (this.open) void this.load();
    return off;
  }

  toggle(): void {
    this.setOpen(!this.open);
  }

  setOpen(open: boolean): void {
    this.open = open;
    saveFlag(OPEN_KEY, open);
    if (open && !this.status) void this.load();
  }

  load(): Promise<void> {
    if (!this.api) return Promise.resolve();
    this.loading ??= this.fetch(this.api).finally(() => (this.loading = null));
    return this.loading;
  }

  private async fetch(api: MoteApi): Promise<void> {
    const [status, broker] = await Promise.allSettled([api.fleetStatus(), api.fleetBrokerSettings()]);
    if (broker.status === 'fulfilled') this.broker = broker.value;
    if (status.status === 'fulfilled') {
      this.status = status.value;
      this.error = null;
    } else {
      // The dashboard of a broker that stopped working would be stale: show why instead.
      this.status = null;
      this.error = describeError(status.reason);
    }
  }

  /** Tries broker settings without saving them; resolves with what was reached, rejects with the back end's reason. */
  testBroker(req: FleetBrokerRequest): Promise<string> {
    return this.api ? this.api.fleetTestBroker(req) : Promise.reject(new Error('the IDE back end is not connected'));
  }

  /** Moves the fleet to this broker and saves it; on failure the back end keeps the old one, and so does the view. */
  async setBroker(req: FleetBrokerRequest): Promise<FleetBrokerInfo> {
    const api = this.api;
    if (!api) throw new Error('the IDE back end is not connected');
    const info = await api.fleetSetBroker(req);
    this.broker = info;
    await this.fetch(api);
    return info;
  }

  /** Runs one operator action at a time; the returned status (if any) replaces the shown one. Resolves with an error text, or null. */
  async act(what: string, fn: (api: MoteApi) => Promise<unknown>): Promise<string | null> {
    if (!this.api || this.busy) return null;
    this.busy = what;
    try {
      await fn(this.api);
      this.status = await this.api.fleetStatus();
      return null;
    } catch (err) {
      return describeError(err);
    } finally {
      this.busy = null;
    }
  }

  createRelease = () => this.act('release', (api) => api.fleetCreateRelease());
  startRollout = (seq: number, group: string) => this.act('rollout', (api) => api.fleetStartRollout(seq, group));
  rolloutAction = (id: number, action: FleetRolloutAction) => this.act(action, (api) => api.fleetRolloutAction(id, action));
  simulate = (count: number) => this.act('simulate', (api) => api.fleetSimulate(count));
  stopSimulation = () => this.act('stop-sim', (api) => api.fleetStopSimulation());

  /** Provisions the connected board, reporting each file as it is written; rejects with the back end's message. */
  async provision(req: FleetProvisionRequest, onFile: (p: TransferProgress) => void): Promise<FleetProvisionResult> {
    const api = this.api;
    if (!api) throw new Error('the IDE back end is not connected');
    const off = api.on('transferProgress', onFile);
    try {
      const r = await api.fleetProvision(req);
      void this.load();
      return r;
    } finally {
      off();
    }
  }

  /** Stops a running provisioning (it shares the back end's transfer slot); its call rejects. */
  cancelProvision = () => this.api?.cancelTransfer();
}
