// The conformance suite: each program here exercises a `machine` API the way
// the MicroPython documentation describes it, and its .exp file holds the
// output the documentation implies. Programs at the top level run on every
// board profile; those in rp2/ or esp32/ only on boards of that port. Where
// the ports differ only in what they answer, a top-level program has an
// expected output per port instead: X.rp2.exp and X.esp32.exp beside X.py.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARD_PROFILES } from '../common/profiles.js';
import { startTestBoard, type TestBoard } from '../node/sim-test-kit.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function programs(dir: string): string[] {
  const full = path.join(here, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((f) => f.endsWith('.py'))
    .map((f) => path.join(dir, f));
}

for (const profile of BOARD_PROFILES) {
  describe(`conformance on ${profile.id} (${profile.platform})`, () => {
    let tb: TestBoard;
    beforeAll(async () => (tb = await startTestBoard({ profile })));
    afterAll(() => tb.close());

    for (const program of [...programs('.'), ...programs(profile.platform)]) {
      it(program, async () => {
        const source = fs.readFileSync(path.join(here, program), 'utf8');
        const perPort = path.join(here, program.replace(/\.py$/, `.${profile.platform}.exp`));
        const expected = fs.readFileSync(fs.existsSync(perPort) ? perPort : path.join(here, program.replace(/\.py$/, '.exp')), 'utf8');
        // Each program starts on a freshly reset interpreter, as after Ctrl-D.
        await tb.softReset();
        const r = await tb.exec(source);
        expect(r.err).toBe('');
        expect(r.out).toBe(expected);
      });
    }
  });
}
