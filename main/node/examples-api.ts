// The examples gallery: the beginner programs in resources/examples, and
// opening one into the user's project.
//
// Each example is one `<id>.py` file that starts with a header of comments:
//
//   # title: Hello on an OLED screen
//   # about: Write text and draw shapes on a 128x64 SSD1306 OLED display over I2C.
//   # boards: pico-w, esp32-devkitc      (optional: the profiles it is written for; all when absent)
//   # needs: lib/ssd1306.py              (optional: driver files from resources/examples/lib)
//   # lesson: 6                          (optional: its place in the gallery)
//
// The header ends at the first line that is not one of these keys, so the
// lesson's own comments ("# Wiring: ...") never count as metadata.
//
// Opening an example copies it into the project root and its drivers into the
// project's lib/ folder, never replacing a file the user has: an example whose
// name is taken by other code gets a numbered name, and a driver the user
// already has (perhaps changed) is kept. The renderer then installs the
// drivers on the board, so Run works at once (see renderer/src/gallery).

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ExampleInfo, MoteBackend, OpenedExample } from '../common/api.js';
import type { ProjectFiles } from './project/project-files.js';

export type ExamplesApi = Pick<MoteBackend, 'listExamples' | 'readExample' | 'openExample'>;

/** What opening an example needs from the back end. */
export interface ExamplesHost {
  project(): ProjectFiles;
  /** The project's file list changed (the back end emits projectChanged). */
  projectChanged(): Promise<void>;
}

/** Example ids are file stems: lowercase, digits, underscores (also valid Python module names). */
export const EXAMPLE_ID = /^[a-z][a-z0-9_]{0,47}$/;
/** Driver paths an example may ask for: Python files under lib/. */
const LIB_PATH = /^lib\/(?:[a-z0-9_]+\/)*[a-z0-9_]+\.py$/;
const HEADER_LINE = /^#\s*(title|about|boards|needs|lesson):\s*(.*?)\s*$/;
const PROFILE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Numbered copies tried before giving up (a project with 99 blinks has enough). */
const MAX_COPIES = 99;

export interface ExampleHeader {
  title: string;
  description: string;
  profiles: string[];
  libs: string[];
  lesson: number | null;
}

/** Reads an example's header; throws with the reason when it is missing or malformed. */
export function parseExampleHeader(source: string): ExampleHeader {
  const fields = new Map<string, string>();
  for (const line of source.split(/\r?\n/)) {
    const m = HEADER_LINE.exec(line);
    if (!m) break;
    if (fields.has(m[1])) throw new Error(`"${m[1]}" appears twice in the header`);
    fields.set(m[1], m[2]);
  }
  const title = fields.get('title');
  const description = fields.get('about');
  if (!title) throw new Error('the header has no "# title:" line');
  if (!description) throw new Error('the header has no "# about:" line');
  const list = (key: string) => (fields.get(key) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const profiles = list('boards');
  const bad = profiles.find((p) => !PROFILE_ID.test(p));
  if (bad !== undefined) throw new Error(`"${bad}" is not a board profile id`);
  const libs = list('needs');
  const badLib = libs.find((l) => !LIB_PATH.test(l));
  if (badLib !== undefined) throw new Error(`"${badLib}" is not a driver under lib/`);
  const lessonText = fields.get('lesson');
  const lesson = lessonText === undefined ? null : Number(lessonText);
  if (lesson !== null && !(Number.isInteger(lesson) && lesson > 0)) throw new Error(`lesson "${lessonText}" is not a positive whole number`);
  return { title, description, profiles, libs, lesson };
}

export function examplesApi(resourcesDir: string, host: ExamplesHost): ExamplesApi {
  const examplesDir = path.join(resourcesDir, 'examples');

  /** Every example, in lesson order; a malformed header is a packaging bug, so it throws. */
  async function catalogue(): Promise<Array<ExampleInfo & { lesson: number | null }>> {
    const names = (await fs.readdir(examplesDir)).filter((n) => n.endsWith('.py') && EXAMPLE_ID.test(n.slice(0, -3)));
    const items = await Promise.all(
      names.map(async (name) => {
        const id = name.slice(0, -3);
        try {
          const { lesson, ...info } = parseExampleHeader(await fs.readFile(path.join(examplesDir, name), 'utf8'));
          return { id, ...info, lesson };
        } catch (e) {
          throw new Error(`example ${name}: ${(e as Error).message}`);
        }
      }),
    );
    return items.sort((a, b) => (a.lesson ?? Infinity) - (b.lesson ?? Infinity) || a.title.localeCompare(b.title));
  }

  async function find(id: string): Promise<ExampleInfo> {
    if (!EXAMPLE_ID.test(id)) throw new Error(`"${id.slice(0, 64)}" is not an example id (lowercase letters, digits and underscores)`);
    const found = (await catalogue()).find((e) => e.id === id);
    if (!found) throw new Error(`there is no example "${id}"`);
    return found;
  }

  const readSource = (id: string) => fs.readFile(path.join(examplesDir, `${id}.py`), 'utf8');

  return {
    async listExamples() {
      return (await catalogue()).map(({ lesson: _lesson, ...info }) => info);
    },
    async readExample(id) {
      await find(id);
      return readSource(id);
    },
    async openExample(id): Promise<OpenedExample> {
      const info = await find(id);
      const project = host.project();
      const source = await readSource(id);
      const opened: OpenedExample = { path: await placeCopy(project, id, source), libs: [] };
      for (const lib of info.libs) {
        // LIB_PATH admits no '..', and the file must sit inside examples/lib.
        const from = path.join(examplesDir, ...lib.split('/'));
        if (!from.startsWith(path.join(examplesDir, 'lib') + path.sep)) throw new Error(`${lib} is outside the examples' lib folder`);
        const data = await fs.readFile(from);
        opened.libs.push({ path: lib, status: await copyUnlessPresent(project, lib, data) });
      }
      await host.projectChanged();
      return opened;
    },
  };
}

/** Writes the example as `<id>.py`, or the first free `<id>_N.py` when that name holds other code. */
async function placeCopy(project: ProjectFiles, id: string, source: string): Promise<string> {
  for (let n = 1; n <= MAX_COPIES; n++) {
    const name = n === 1 ? `${id}.py` : `${id}_${n}.py`;
    const status = await copyUnlessPresent(project, name, Buffer.from(source, 'utf8'));
    if (status !== 'kept') return name;
  }
  throw new Error(`the project already has ${MAX_COPIES} copies of ${id}.py; delete some first`);
}

/** 'copied' when written, 'same' when the file already holds exactly these bytes, 'kept' when it holds others. */
async function copyUnlessPresent(project: ProjectFiles, rel: string, data: Uint8Array): Promise<'copied' | 'same' | 'kept'> {
  const abs = project.resolve(rel);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  try {
    // 'wx' fails if the file exists, so a file that appeared meanwhile is never replaced.
    await fs.writeFile(abs, data, { flag: 'wx' });
    return 'copied';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  // Something else of that name (a folder, say) is the user's too.
  if (!(await fs.stat(abs)).isFile()) return 'kept';
  const current = await fs.readFile(abs);
  return Buffer.compare(current, Buffer.from(data)) === 0 ? 'same' : 'kept';
}
