// The examples gallery's back end: the real resources/examples catalogue, and
// opening examples into a real project folder on disk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCall } from '../common/api.js';
import { findAppRoot } from '../../runtime/node/app-root.js';
import { examplesApi, parseExampleHeader, type ExamplesApi } from './examples-api.js';
import { ProjectFiles } from './project/project-files.js';

const resources = path.join(findAppRoot(), 'resources');

/** The lessons issue 4 asks for, by the example that teaches each. */
const REQUIRED = [
  'blink',
  'button_irq',
  'pwm_fade',
  'servo_sweep',
  'adc_plotter',
  'oled_hello',
  'oled_bounce',
  'neopixel_rainbow',
  'temperature_logger',
  'timer_blink',
  'asyncio_tasks',
  'web_request',
  'mqtt_publish',
];

let dir: string;
let projectDir: string;
let changes: number;
let api: ExamplesApi;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-examples-'));
  projectDir = path.join(dir, 'project');
  fs.mkdirSync(projectDir);
  changes = 0;
  const project = new ProjectFiles(projectDir);
  api = examplesApi(resources, {
    project: () => project,
    projectChanged: async () => void changes++,
  });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('example catalogue', () => {
  it('lists every required lesson, in lesson order, each with a title and a one-line description', async () => {
    const list = await api.listExamples();
    expect(list.map((e) => e.id)).toEqual(REQUIRED);
    for (const e of list) {
      expect(e.title.length).toBeGreaterThan(3);
      expect(e.description).toMatch(/^[A-Z].{20,140}[.]$/);
      expect(e.description).not.toContain('\n');
    }
  });

  it('names the drivers an example imports, and each exists under resources/examples/lib', async () => {
    const list = await api.listExamples();
    const byId = new Map(list.map((e) => [e.id, e]));
    expect(byId.get('oled_hello')?.libs).toEqual(['lib/ssd1306.py']);
    expect(byId.get('temperature_logger')?.libs).toEqual(['lib/sht3x.py']);
    expect(byId.get('mqtt_publish')?.libs).toEqual(['lib/umqtt/simple.py']);
    expect(byId.get('blink')?.libs).toEqual([]);
    for (const e of list) {
      const source = await api.readExample(e.id);
      for (const lib of e.libs) {
        expect(fs.existsSync(path.join(resources, 'examples', lib)), lib).toBe(true);
        const module = lib.replace(/^lib\//, '').replace(/\.py$/, '').replace(/\//g, '.');
        expect(source, `${e.id} imports ${module}`).toMatch(new RegExp(`^(from|import) ${module.replace('.', '\\.')}\\b`, 'm'));
      }
    }
  });

  it('restricts the network lessons to boards with Wi-Fi and leaves the others for every board', async () => {
    const list = await api.listExamples();
    for (const e of list) {
      if (e.id === 'web_request' || e.id === 'mqtt_publish') expect(e.profiles).toEqual(['pico-w', 'esp32-devkitc']);
      else expect(e.profiles, e.id).toEqual([]);
    }
  });

  it('reads an example source as it is on disk', async () => {
    expect(await api.readExample('blink')).toBe(fs.readFileSync(path.join(resources, 'examples', 'blink.py'), 'utf8'));
  });

  it('refuses ids that are not plain example names, before touching the disk', async () => {
    for (const id of ['../package', '..', 'lib/ssd1306', 'Blink', '/etc/passwd', 'blink.py', '', 'a'.repeat(49), 'blink\0']) {
      await expect(api.readExample(id), id).rejects.toThrow(/not an example id/);
      await expect(api.openExample(id), id).rejects.toThrow(/not an example id/);
    }
    await expect(api.readExample('nosuch')).rejects.toThrow('there is no example "nosuch"');
    // The driver files are not examples of their own.
    await expect(api.readExample('ssd1306')).rejects.toThrow(/no example/);
  });

  it('the API validator bounds the id before the back end sees it', () => {
    expect(validateCall('openExample', ['blink'])).toBeNull();
    expect(validateCall('openExample', [7])).toMatch(/id must be a string/);
    expect(validateCall('openExample', ['x'.repeat(65)])).toMatch(/too long/);
  });
});

describe('example header', () => {
  it('stops at the first line that is not a header key, so lesson comments are not metadata', () => {
    const h = parseExampleHeader('# title: T\n# about: A thing.\n#\n# boards: nope\nprint(1)\n');
    expect(h).toEqual({ title: 'T', description: 'A thing.', profiles: [], libs: [], lesson: null });
  });

  it('reads lists and the lesson number', () => {
    const h = parseExampleHeader('# title: T\n# about: A.\n# boards: pico-w, esp32-devkitc\n# needs: lib/a.py, lib/b/c.py\n# lesson: 3\n');
    expect(h).toEqual({ title: 'T', description: 'A.', profiles: ['pico-w', 'esp32-devkitc'], libs: ['lib/a.py', 'lib/b/c.py'], lesson: 3 });
  });

  it('says what is wrong with a bad header', () => {
    expect(() => parseExampleHeader('print(1)\n')).toThrow('no "# title:" line');
    expect(() => parseExampleHeader('# title: T\nprint(1)\n')).toThrow('no "# about:" line');
    expect(() => parseExampleHeader('# title: T\n# title: U\n# about: A.\n')).toThrow('"title" appears twice');
    expect(() => parseExampleHeader('# title: T\n# about: A.\n# needs: ../secret.py\n')).toThrow('not a driver under lib/');
    expect(() => parseExampleHeader('# title: T\n# about: A.\n# needs: lib/../../x.py\n')).toThrow('not a driver under lib/');
    expect(() => parseExampleHeader('# title: T\n# about: A.\n# boards: Pico W\n')).toThrow('not a board profile id');
    expect(() => parseExampleHeader('# title: T\n# about: A.\n# lesson: two\n')).toThrow('not a positive whole number');
  });
});

describe('opening an example into the project', () => {
  const example = (rel: string) => fs.readFileSync(path.join(resources, 'examples', rel), 'utf8');
  const inProject = (rel: string) => fs.readFileSync(path.join(projectDir, rel), 'utf8');

  it('copies the example and its driver, and reports the project change', async () => {
    const opened = await api.openExample('oled_hello');
    expect(opened).toEqual({ path: 'oled_hello.py', libs: [{ path: 'lib/ssd1306.py', status: 'copied' }] });
    expect(inProject('oled_hello.py')).toBe(example('oled_hello.py'));
    expect(inProject('lib/ssd1306.py')).toBe(example('lib/ssd1306.py'));
    expect(changes).toBe(1);
  });

  it('copies a driver inside a package folder (umqtt/simple.py)', async () => {
    const opened = await api.openExample('mqtt_publish');
    expect(opened.libs).toEqual([{ path: 'lib/umqtt/simple.py', status: 'copied' }]);
    expect(inProject('lib/umqtt/simple.py')).toBe(example('lib/umqtt/simple.py'));
  });

  it('opening the same example again reuses the unchanged copy', async () => {
    await api.openExample('oled_hello');
    const again = await api.openExample('oled_hello');
    expect(again).toEqual({ path: 'oled_hello.py', libs: [{ path: 'lib/ssd1306.py', status: 'same' }] });
    expect(fs.readdirSync(projectDir).sort()).toEqual(['lib', 'oled_hello.py']);
  });

  it('never replaces the user\'s files: an edited example gets a numbered copy, an edited driver is kept', async () => {
    fs.writeFileSync(path.join(projectDir, 'oled_hello.py'), '# my own version\n');
    fs.mkdirSync(path.join(projectDir, 'lib'));
    fs.writeFileSync(path.join(projectDir, 'lib', 'ssd1306.py'), '# my patched driver\n');
    const opened = await api.openExample('oled_hello');
    expect(opened).toEqual({ path: 'oled_hello_2.py', libs: [{ path: 'lib/ssd1306.py', status: 'kept' }] });
    expect(inProject('oled_hello.py')).toBe('# my own version\n');
    expect(inProject('lib/ssd1306.py')).toBe('# my patched driver\n');
    expect(inProject('oled_hello_2.py')).toBe(example('oled_hello.py'));
    fs.writeFileSync(path.join(projectDir, 'oled_hello_2.py'), '# edited too\n');
    expect((await api.openExample('oled_hello')).path).toBe('oled_hello_3.py');
  });

  it('leaves a project folder named like the example alone and picks the next name', async () => {
    fs.mkdirSync(path.join(projectDir, 'blink.py'));
    expect((await api.openExample('blink')).path).toBe('blink_2.py');
    expect(fs.statSync(path.join(projectDir, 'blink.py')).isDirectory()).toBe(true);
  });
});
