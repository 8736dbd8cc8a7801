// The package browser's state: the index search, what mote.lock records as
// installed, and the one install/remove that may run at a time with its
// progress. Nothing is asked of the back end until the panel is first opened
// (the index is fetched from the network, or the cache when offline).

import type { InstalledPackageInfo, MoteApi, PackageIndexEntry, PackageProgressInfo } from '../../../main/common/api';
import { describeError } from '../state/toasts.svelte';

export interface PackageOutcome {
  ok: boolean;
  title: string;
  detail: string;
}

export class PackagesState {
  /** The panel's body is shown (nothing is fetched until it first is). */
  open = $state(false);
  query = $state('');
  results = $state.raw<PackageIndexEntry[]>([]);
  installed = $state.raw<InstalledPackageInfo[]>([]);
  searching = $state(false);
  /** Why the index could not be read (shown in the panel). */
  error = $state<string | null>(null);
  /** The package being installed or removed, and its progress. */
  busy = $state<string | null>(null);
  progress = $state.raw<PackageProgressInfo | null>(null);
  /** Install compiled .mpy for the board's version (off: .py sources). */
  mpy = $state(true);

  private api: MoteApi | null = null;
  private searchSeq = 0;

  connect(api: MoteApi): () => void {
    this.api = api;
    return api.on('packageProgress', (p) => (this.progress = p));
  }

  /** Opens or closes the panel (View > Packages, or its header); opening refreshes it. */
  toggle(): void {
    this.open = !this.open;
    if (this.open) void this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.api) return;
    this.installed = await this.api.packagesInstalled();
    await this.search();
  }

  async search(): Promise<void> {
    if (!this.api) return;
    const seq = ++this.searchSeq;
    this.searching = true;
    try {
      const found = await this.api.packageSearch(this.query.trim());
      // A newer search may have finished first: keep its results.
      if (seq !== this.searchSeq) return;
      this.results = found;
      this.error = null;
    } catch (err) {
      if (seq === this.searchSeq) this.error = describeError(err);
    } finally {
      if (seq === this.searchSeq) this.searching = false;
    }
  }

  /** Percent of the current phase, or null before any progress arrived. */
  get percent(): number | null {
    const p = this.progress;
    return p && p.total > 0 ? Math.min(100, Math.round((100 * p.done) / p.total)) : null;
  }

  install(spec: string): Promise<PackageOutcome> {
    return this.run(spec, (api) => api.packageInstall(spec, this.mpy), `Installed ${spec}`);
  }

  installLock(): Promise<PackageOutcome> {
    return this.run('mote.lock', (api) => api.packageInstallLock(), 'Installed the packages in mote.lock');
  }

  remove(name: string): Promise<PackageOutcome> {
    return this.run(name, (api) => api.packageRemove(name), `Removed ${name}`);
  }

  cancel(): void {
    void this.api?.packageCancel();
  }

  isInstalled(name: string): boolean {
    return this.installed.some((p) => p.name === name);
  }

  private async run(what: string, op: (api: MoteApi) => Promise<InstalledPackageInfo[]>, done: string): Promise<PackageOutcome> {
    if (!this.api || this.busy) return { ok: false, title: 'Busy', detail: 'another package operation is running' };
    this.busy = what;
    this.progress = null;
    try {
      this.installed = await op(this.api);
      this.results = this.results.map((r) => ({ ...r, installed: this.installed.find((p) => p.name === r.name)?.version ?? null }));
      return { ok: true, title: done, detail: this.installed.map((p) => `${p.name} ${p.version}`).join(', ') };
    } catch (err) {
      return { ok: false, title: `Could not ${done.startsWith('Removed') ? 'remove' : 'install'} ${what}`, detail: describeError(err) };
    } finally {
      this.busy = null;
      this.progress = null;
    }
  }
}
