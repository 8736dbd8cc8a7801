// UDP on the simulated board against a real node:dgram peer on loopback.
import * as dgram from 'node:dgram';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestBoard, waitUntil, type TestBoard } from '../sim-test-kit.js';
import { JOIN_WIFI } from './net-test-kit.js';

let tb: TestBoard;
beforeAll(async () => {
  tb = await startTestBoard();
});
afterAll(() => tb.close());

it('sendto and recvfrom a real UDP echo peer, with connect() and send() too', async () => {
  const peer = dgram.createSocket('udp4');
  peer.on('message', (msg, rinfo) => peer.send(Buffer.concat([Buffer.from('echo:'), msg]), rinfo.port, rinfo.address));
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
  const port = peer.address().port;
  try {
    const r = await tb.exec(`${JOIN_WIFI}
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(2)
print(u.sendto(b'hello', ('127.0.0.1', ${port})))
data, addr = u.recvfrom(64)
print(data, addr == ('127.0.0.1', ${port}))
u.connect(('127.0.0.1', ${port}))
u.send(b'\\x00\\xff')
print(u.recv(3))
u.settimeout(0.2)
try:
    u.recv(10)
except OSError as e:
    print(e.errno == errno.ETIMEDOUT)
u.close()`);
    expect(r.err).toBe('');
    // A datagram longer than the buffer is cut, as UDP does.
    expect(r.out).toBe("5\nb'echo:hello' True\nb'ech'\nTrue\n");
  } finally {
    peer.close();
  }
});

it("a bound UDP socket receives on the host's loopback port it reports", async () => {
  let text = '';
  const off = tb.session.onTerminal((b) => (text += Buffer.from(b).toString()));
  const sender = dgram.createSocket('udp4');
  try {
    const done = tb.session.run(`${JOIN_WIFI}
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(('0.0.0.0', 5005))
data, addr = u.recvfrom(100)
print('got', data)
u.close()`);
    const subscribe = (l: () => void) => tb.session.onTerminal(() => l());
    await waitUntil(subscribe, () => /UDP port 5005 is 127\.0\.0\.1:\d+/.test(text), 5000, 'the bound note');
    const port = Number(/UDP port 5005 is 127\.0\.0\.1:(\d+)/.exec(text)![1]);
    sender.send('sensor=21.5', port, '127.0.0.1');
    const r = await done;
    expect(r.stdout.toString()).toContain("got b'sensor=21.5'");
  } finally {
    off();
    sender.close();
  }
});

it('UDP to a public address is refused by the same policy as TCP', async () => {
  const r = await tb.exec(`${JOIN_WIFI}
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.sendto(b'x', ('203.0.113.9', 123))
except OSError as e:
    print(e.errno)
u.close()`);
  expect(r.out).toBe(
    "[Mote] connection refused: the simulator reaches only loopback and private addresses, and 203.0.113.9 is public (allow public addresses in the simulator's network setting)\n13\n",
  );
});
