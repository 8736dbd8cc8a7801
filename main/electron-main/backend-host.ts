// Owns the one back end of the Electron app and replaces it when the user opens
// another project folder. Each back end gets its own event sink, so events a
// back end emits while it is being disposed never reach the window.

import type { EventSink, MoteEventName, MoteEvents } from '../common/api.js';
import { createBackend, type DisposableBackend } from '../node/ide-backend.js';
import type { SecretStore } from '../node/secrets/secret-store.js';

export class BackendHost {
  readonly #dataDir: string;
  readonly #forward: EventSink;
  readonly #secrets: SecretStore | undefined;
  #projectDir: string;
  #current: Promise<DisposableBackend>;
  #generation = 0;

  constructor(options: { projectDir: string; dataDir: string; forward: EventSink; secrets?: SecretStore }) {
    this.#dataDir = options.dataDir;
    this.#secrets = options.secrets;
    this.#forward = options.forward;
    this.#projectDir = options.projectDir;
    this.#current = this.#start(options.projectDir);
  }

  get projectDir(): string {
    return this.#projectDir;
  }

  /** The live back end; rejects if it failed to start. */
  current(): Promise<DisposableBackend> {
    return this.#current;
  }

  /** Disposes the current back end and starts one on `projectDir`; on failure
   *  the previous project is reopened and the error rethrown. */
  async switchProject(projectDir: string): Promise<void> {
    const previousDir = this.#projectDir;
    await this.#disposeCurrent();
    try {
      this.#current = this.#start(projectDir);
      const backend = await this.#current;
      this.#projectDir = projectDir;
      this.#forward('projectChanged', await backend.getProject());
    } catch (err) {
      this.#current = this.#start(previousDir);
      throw err;
    }
  }

  async dispose(): Promise<void> {
    await this.#disposeCurrent();
  }

  #start(projectDir: string): Promise<DisposableBackend> {
    const generation = ++this.#generation;
    const emit: EventSink = <E extends MoteEventName>(event: E, payload: MoteEvents[E]) => {
      if (generation !== this.#generation) return;
      // A back end can move to another folder by itself (New Project), and the
      // window title and Open Folder dialog follow the folder actually open.
      if (event === 'projectChanged') this.#projectDir = (payload as MoteEvents['projectChanged']).root;
      this.#forward(event, payload);
    };
    const started = createBackend({ projectDir, dataDir: this.#dataDir, secrets: this.#secrets }, emit);
    // Callers see the failure through current(); this keeps it from being "unhandled" meanwhile.
    started.catch(() => {});
    return started;
  }

  async #disposeCurrent(): Promise<void> {
    this.#generation++;
    const backend = await this.#current.catch(() => null);
    await backend?.dispose();
  }
}
