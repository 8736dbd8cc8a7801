// The project's network setting reaches the simulated board: by default its
// sockets may not leave loopback and private networks; with the setting on,
// a public address is attempted for real (whether it then connects depends on
// this machine's network, so only the refusal is asserted).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOIN_WIFI } from '../../runtime/sim/node/net/net-test-kit.js';
import { openSimBoard, type ConnectedBoard } from './board-connection.js';

const PROGRAM = `${JOIN_WIFI}
s = socket.socket()
s.settimeout(0.5)
try:
    s.connect(('203.0.113.7', 9))
    print('errno none')
except OSError as e:
    print('errno', e.args[0])
s.close()
`;

const dirs: string[] = [];
const boards: ConnectedBoard[] = [];

afterAll(async () => {
  for (const b of boards) await b.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function errnoFor(allowPublic: boolean | undefined): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-simnet-'));
  dirs.push(dir);
  const board = await openSimBoard(dir, 'pico-w', allowPublic === undefined ? undefined : { allowPublic });
  boards.push(board);
  const r = await board.session.run(PROGRAM);
  const out = Buffer.from(r.stdout).toString('utf8');
  const m = /errno (\S+)/.exec(out);
  if (!m) throw new Error(`no errno line in ${JSON.stringify(out)} / ${Buffer.from(r.stderr).toString('utf8')}`);
  return m[1];
}

describe('the simulator network setting', () => {
  it('refuses a public address by default with EACCES', async () => {
    expect(await errnoFor(undefined)).toBe('13');
  });

  it('lets the connection go out when the setting allows public addresses', async () => {
    expect(await errnoFor(true)).not.toBe('13');
  });
});
