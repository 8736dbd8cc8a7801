// The board's filesystem, written once in terms of exec over the raw REPL.
// Paths always reach Python through pyStr(), never by concatenation.

import type { BoardSession } from './board-session.js';
import { BoardError } from './raw-repl.js';
import { pyStr } from './py-literal.js';

export interface BoardEntry {
  path: string;
  size: number;
  isDir: boolean;
}

const CHUNK = 1024; // bytes of file data per exec; base64 keeps raw mode ASCII-only

export class BoardFs {
  constructor(private readonly session: BoardSession) {}

  /** Every file and folder under `root`, recursively, with sizes. */
  async list(root = '/'): Promise<BoardEntry[]> {
    const code = `import os
def _w(d):
    for e in os.ilistdir(d):
        p = (d.rstrip('/') + '/' + e[0])
        isdir = e[1] & 0x4000
        size = 0 if isdir else (e[3] if len(e) > 3 else os.stat(p)[6])
        print(repr((p, size, 1 if isdir else 0)))
        if isdir:
            _w(p)
_w(${pyStr(root)})
`;
    const out = await this.session.exclusive((r) => r.execChecked(code));
    return out
      .toString('utf8')
      .split(/\r?\n/)
      .filter(Boolean)
      .map(parseEntry);
  }

  async read(path: string): Promise<Buffer> {
    const code = `import binascii
with open(${pyStr(path)}, 'rb') as f:
    while True:
        b = f.read(${CHUNK})
        if not b:
            break
        print(binascii.b2a_base64(b).decode().strip())
`;
    const out = await this.session.exclusive((r) => r.execChecked(code));
    const lines = out.toString('latin1').split(/\r?\n/).filter(Boolean);
    return Buffer.concat(lines.map((l) => Buffer.from(l, 'base64')));
  }

  /** Writes to a temporary name, checks the size, then renames into place. */
  async write(path: string, data: Uint8Array): Promise<void> {
    const tmp = `${path}.mote-tmp`;
    await this.session.exclusive(async (r) => {
      await r.execChecked(
        `import os, binascii\n_p = ''\nfor _d in ${pyStr(path)}.split('/')[1:-1]:\n    _p += '/' + _d\n    try:\n        os.mkdir(_p)\n    except OSError:\n        pass\n_f = open(${pyStr(tmp)}, 'wb')`,
      );
      for (let i = 0; i < data.length; i += CHUNK * 3) {
        const b64 = Buffer.from(data.subarray(i, i + CHUNK * 3)).toString('base64');
        await r.execChecked(`_f.write(binascii.a2b_base64(b${pyStr(b64)}))`);
      }
      await r.execChecked(
        `import os\n_f.close()\ndel _f\nif os.stat(${pyStr(tmp)})[6] != ${data.length}:\n    raise OSError(5)\nos.rename(${pyStr(tmp)}, ${pyStr(path)})`,
      );
    });
  }

  /** Removes a file, or a folder with everything in it. */
  async remove(path: string): Promise<void> {
    const code = `import os
def _rm(p):
    if os.stat(p)[0] & 0x4000:
        for e in os.ilistdir(p):
            _rm(p.rstrip('/') + '/' + e[0])
        os.rmdir(p)
    else:
        os.remove(p)
_rm(${pyStr(path)})
`;
    await this.session.exclusive((r) => r.execChecked(code));
  }
}

function parseEntry(line: string): BoardEntry {
  // repr() of (str, int, int): the str is a Python literal; accept both quote styles.
  const m = /^\((['"])(.*)\1, (\d+), ([01])\)$/.exec(line);
  if (!m) throw new BoardError(`unexpected listing line ${JSON.stringify(line)}`, line);
  return { path: unescapePy(m[2]), size: Number(m[3]), isDir: m[4] === '1' };
}

function unescapePy(s: string): string {
  return s.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[\\'"nrt])/g, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}
