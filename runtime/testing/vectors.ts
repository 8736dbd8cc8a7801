// Loads the byte-exact recordings in ../shared/vectors and replays them
// against any Link: host steps are written, board steps are awaited and
// compared byte for byte (after masking what legitimately differs between
// boards, such as the banner's board name).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Link } from '../common/link.js';
import { ByteCollector } from './byte-collector.js';

export interface VectorStep {
  dir: 'host->board' | 'board->host';
  hex: string;
  text: string;
  phase?: 'setup' | 'teardown';
}

export interface Vector {
  scenario: string;
  steps: VectorStep[];
  precondition?: string;
}

// A copy of the recordings (data, with their README) lives next to this file
// so a fresh clone can run the tests; MOTE_VECTORS can point at another set.
const BUNDLED = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vectors');

export function vectorsDir(): string {
  const candidates = [process.env.MOTE_VECTORS, BUNDLED];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  throw new Error('cannot find the protocol vectors (set MOTE_VECTORS to ../shared/vectors)');
}

export function loadVector(name: string): Vector {
  return JSON.parse(fs.readFileSync(path.join(vectorsDir(), `${name}.json`), 'utf8')) as Vector;
}

export function stepBytes(step: VectorStep): Buffer {
  return Buffer.from(step.hex, 'hex');
}

export type Normalizer = (s: string) => string;

/** Masks the parts of a board's reply that name the board. */
export const maskBoard: Normalizer = (s) =>
  s.replace(/MicroPython v[^ ]+ on [0-9-]+; [^\r\n]*/g, 'MicroPython <version> on <date>; <board>');

/**
 * Plays `vector` against `link`: writes every host step and checks that the
 * board's bytes, taken as one stream, equal the recording's board steps.
 */
export async function replay(link: Link, vector: Vector, opts: { normalize?: Normalizer; timeoutMs?: number } = {}): Promise<void> {
  const normalize = opts.normalize ?? maskBoard;
  const rx = new ByteCollector(link);
  let expected = '';
  try {
    for (const step of vector.steps) {
      if (step.dir === 'host->board') {
        await link.write(stepBytes(step));
        continue;
      }
      expected += normalize(stepBytes(step).toString('latin1'));
      const want = expected;
      const got = await rx.waitFor(
        (buf) => normalize(buf.toString('latin1')).length >= want.length,
        opts.timeoutMs ?? 5000,
        `${vector.scenario}: waiting for ${JSON.stringify(stepBytes(step).toString('latin1'))}`,
      );
      const norm = normalize(got.toString('latin1'));
      if (!norm.startsWith(want)) {
        throw new Error(
          `${vector.scenario}: board bytes differ from the recording\n  expected: ${JSON.stringify(want)}\n  received: ${JSON.stringify(norm)}`,
        );
      }
    }
    const all = normalize(rx.bytes().toString('latin1'));
    if (all !== expected) throw new Error(`${vector.scenario}: extra bytes ${JSON.stringify(all.slice(expected.length))}`);
  } finally {
    rx.dispose();
  }
}
