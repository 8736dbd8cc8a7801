// Which boards a gallery example is written for, in words for its card.

import type { ExampleInfo } from '../../../main/common/api';

export interface GalleryBoards {
  /** The project's board profile id, when the back end knows one. */
  current: string | null;
  /** Profile id -> name, e.g. "pico-w" -> "Raspberry Pi Pico W". */
  names: Record<string, string>;
}

/** Whether `example` is written for the project's board (an example for every board always is). */
export function suitsBoard(example: ExampleInfo, boards: GalleryBoards): boolean {
  return example.profiles.length === 0 || boards.current === null || example.profiles.includes(boards.current);
}

/** "Raspberry Pi Pico W, ESP32-DevKitC" for an example's profile ids. */
export function boardNames(example: ExampleInfo, boards: GalleryBoards): string {
  return example.profiles.map((id) => boards.names[id] ?? id).join(', ');
}
