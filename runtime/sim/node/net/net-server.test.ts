// A web server on the simulated board (the classic Pico W lesson): the
// board listens, and a real HTTP client on the computer reaches it through
// the loopback port the simulator reports.
import * as http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestBoard, waitUntil, type TestBoard } from '../sim-test-kit.js';
import { JOIN_WIFI } from './net-test-kit.js';

let tb: TestBoard;
beforeAll(async () => {
  tb = await startTestBoard();
});
afterAll(() => tb.close());

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

it('serves HTTP from the board: bind, listen, accept, and the note says where to reach it', async () => {
  let text = '';
  const off = tb.session.onTerminal((b) => (text += Buffer.from(b).toString()));
  try {
    const done = tb.session.run(`${JOIN_WIFI}
addr = socket.getaddrinfo('0.0.0.0', 80)[0][-1]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(addr)
srv.listen(1)
for i in range(2):
    cl, peer = srv.accept()
    request = cl.readline()
    while cl.readline() not in (b'\\r\\n', b''):
        pass
    cl.send(b'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n')
    cl.send(b'LED is on, you asked ' + request.split()[1])
    cl.close()
    print('served', request, peer[0])
srv.close()`);
    const subscribe = (l: () => void) => tb.session.onTerminal(() => l());
    await waitUntil(subscribe, () => /127\.0\.0\.1:\d+ on this computer/.test(text), 5000, 'the listening note');
    const port = Number(/127\.0\.0\.1:(\d+) on this computer/.exec(text)![1]);
    // Port 80 needs privileges on the computer, so it moves to 8080 unless that is taken.
    expect(text).toMatch(/\[Mote\] the board's port 80 is 127\.0\.0\.1:\d+ on this computer/);
    const first = await get(`http://127.0.0.1:${port}/led?on=1`);
    const second = await get(`http://127.0.0.1:${port}/again`);
    expect(first).toEqual({ status: 200, body: 'LED is on, you asked /led?on=1' });
    expect(second.body).toBe('LED is on, you asked /again');
    const r = await done;
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.toString()).toContain("served b'GET /led?on=1 HTTP/1.1\\r\\n' 127.0.0.1");
  } finally {
    off();
  }
});

it('accept honours timeouts and non-blocking mode, and a reset frees the port', async () => {
  const r = await tb.exec(`import socket, errno, time
s = socket.socket()
s.bind(('0.0.0.0', 0))
s.listen(1)
s.settimeout(0.2)
t0 = time.ticks_ms()
try:
    s.accept()
except OSError as e:
    print(e.errno == errno.ETIMEDOUT, time.ticks_diff(time.ticks_ms(), t0) >= 190)
s.setblocking(False)
try:
    s.accept()
except OSError as e:
    print(e.errno == errno.EAGAIN)
s2 = socket.socket()
s2.bind(('0.0.0.0', 18777))
s2.listen(1)`);
  expect(r.err).toBe('');
  expect(r.out).toContain('True True\nTrue\n');
  const port = Number(/18777 is 127\.0\.0\.1:(\d+)/.exec(r.out)![1]);
  let wasReset = false;
  const offState = tb.board.onState((st) => (wasReset ||= st === 'resetting'));
  await tb.session.softReset();
  await waitUntil((l) => tb.board.onState(l), () => wasReset && tb.board.state === 'ready', 5000, 'the soft reset');
  offState();
  // The host port is released with the interpreter: nothing answers there now.
  await expect(get(`http://127.0.0.1:${port}/`)).rejects.toThrow(/ECONNREFUSED/);
});
