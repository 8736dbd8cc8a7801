// The simulator on a real pseudo-terminal (socat), opened by the real
// `serialport` package: the same bytes as over USB.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardFs } from '../common/board-fs.js';
import { BoardSession } from '../common/board-session.js';
import { RawRepl } from '../common/raw-repl.js';
import { serveSimOnPty, type SimPtyServer } from '../sim/node/sim-pty.js';
import { ByteCollector } from '../testing/byte-collector.js';
import { loadVector, replay } from '../testing/vectors.js';
import { PortBusyError, SerialLink } from './serial-link.js';

let dir: string;
let server: SimPtyServer;
let link: SerialLink;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-serial-'));
  server = await serveSimOnPty({ ptyPath: path.join(dir, 'ttySIM'), filesDir: path.join(dir, 'files') });
  link = await SerialLink.open({ path: server.ptyPath });
});

afterAll(async () => {
  await link?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('simulated board on a pty through serialport', () => {
  it('replays the raw REPL and raw-paste recordings byte for byte', async () => {
    const rx = new ByteCollector(link);
    await link.write(Buffer.from('\r\x03\r\x01'));
    await rx.waitForText('raw REPL; CTRL-B to exit\r\n>');
    rx.dispose();
    for (const name of ['raw-exec-ok', 'raw-exec-exception', 'utf8-output', 'raw-paste-syntax-error']) await replay(link, loadVector(name));
    await link.write(Buffer.from('\r\x02'));
  });

  it('runs code and moves files through the session, with awkward names', async () => {
    const session = new BoardSession(link);
    const out = await session.exclusive((r: RawRepl) => r.execChecked("print('hé', 6 * 7)"));
    expect(out.toString('utf8')).toBe('hé 42\r\n');
    const bfs = new BoardFs(session);
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff));
    await bfs.write("/it's 世界.bin", data);
    expect(Buffer.compare(await bfs.read("/it's 世界.bin"), data)).toBe(0);
    expect(await bfs.list('/')).toContainEqual({ path: "/it's 世界.bin", size: 5000, isDir: false });
    await bfs.remove("/it's 世界.bin");
  });

  it('says a port is busy when another program holds it', async () => {
    await expect(SerialLink.open({ path: server.ptyPath })).rejects.toBeInstanceOf(PortBusyError);
  });
});
