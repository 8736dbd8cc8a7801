// The examples gallery: whether it is shown, the lessons the back end lists,
// and the project's board (which labels the cards, see example-boards.ts).

import type { BoardProfileInfo, ExampleInfo, MoteApi } from '../../../main/common/api';
import { describeError } from '../state/toasts.svelte';
import type { GalleryBoards } from './example-boards';

export class Gallery {
  #open = $state(false);
  #examples = $state.raw<ExampleInfo[] | null>(null);
  #error = $state<string | null>(null);
  #boards = $state.raw<GalleryBoards>({ current: null, names: {} });
  /** The id of the example being opened, so its card shows it and a second click waits. */
  #opening = $state<string | null>(null);

  get open(): boolean {
    return this.#open;
  }
  get examples(): readonly ExampleInfo[] | null {
    return this.#examples;
  }
  get error(): string | null {
    return this.#error;
  }
  get boards(): GalleryBoards {
    return this.#boards;
  }
  get opening(): string | null {
    return this.#opening;
  }
  set opening(id: string | null) {
    this.#opening = id;
  }

  /** Shows the gallery and (re)loads the list and the current board. */
  async show(api: MoteApi): Promise<void> {
    this.#open = true;
    this.#error = null;
    try {
      this.#examples = await api.listExamples();
    } catch (err) {
      this.#error = describeError(err);
    }
    // Which board the project is for only labels the cards: a back end
    // without profiles still shows every example.
    const [profiles, current] = await Promise.all([
      api.listBoardProfiles().catch((): BoardProfileInfo[] => []),
      api.getBoardProfile().catch(() => null),
    ]);
    this.#boards = { current: current?.id ?? null, names: Object.fromEntries(profiles.map((p) => [p.id, p.name])) };
  }

  close(): void {
    this.#open = false;
  }
}
