// Opening an example in one click, the way a beginner expects to use it next:
// press Run and watch it work.
//   1. The back end copies it into the project (a numbered name if the user
//      already has different code under that name) with its drivers in lib/,
//      never replacing a file.
//   2. It opens in the editor.
//   3. Its drivers are installed on the connected board (board /lib), since Run
//      sends only the editor's text and `import ssd1306` must find the module
//      there. A running program holds the board, so it is stopped first.
// On a board connected later, Sync copies lib/ along with the rest of the project.

import type { ExampleInfo, MoteApi, OpenedExample } from '../../../main/common/api';
import type { FileActions } from '../state/file-actions';
import type { Toasts } from '../state/toasts.svelte';

export interface OpenExampleDeps {
  api: MoteApi;
  files: FileActions;
  toasts: Toasts;
  /** A program is running on the board. */
  running(): boolean;
}

export async function openExample(deps: OpenExampleDeps, example: ExampleInfo): Promise<OpenedExample | null> {
  const { api, files, toasts } = deps;
  let opened: OpenedExample;
  try {
    opened = await api.openExample(example.id);
  } catch (err) {
    toasts.error(`Could not open the example "${example.title}"`, err);
    return null;
  }
  await files.openProjectFile(opened.path);

  const installed: string[] = [];
  if (opened.libs.length > 0) {
    if (deps.running()) await api.stop().catch(() => undefined);
    for (const lib of opened.libs) {
      try {
        const dir = lib.path.slice(0, lib.path.lastIndexOf('/'));
        await api.mkdirBoard(dir);
        await api.uploadProjectFile(lib.path, lib.path);
        installed.push(lib.path);
      } catch (err) {
        toasts.error(`Could not put ${lib.path} on the board. Use Sync to copy the project's lib folder there.`, err);
      }
    }
    await files.refreshBoardFiles();
  }

  const notes: string[] = [];
  if (opened.path !== `${example.id}.py`) notes.push(`Your own ${example.id}.py was left as it was.`);
  const kept = opened.libs.filter((l) => l.status === 'kept').map((l) => l.path);
  if (kept.length) notes.push(`Your own ${kept.join(', ')} was kept (it differs from the example's).`);
  if (installed.length) notes.push(`Installed ${installed.join(', ')} on the board.`);
  notes.push('Press Run (F5) to try it.');
  toasts.success(`Opened ${example.title} as ${opened.path}`, notes.join(' '));
  return opened;
}
