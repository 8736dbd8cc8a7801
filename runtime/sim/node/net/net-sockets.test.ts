// Python's socket module on the simulated board against real TCP servers on
// loopback: what a board program sees (data, errno values, timeouts), and
// what the server sees (bytes, closes).
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBoard, waitUntil, type TestBoard } from '../sim-test-kit.js';
import { JOIN_WIFI, closedPort, startServer, type TestServer } from './net-test-kit.js';

let tb: TestBoard;
let echo: TestServer;

beforeAll(async () => {
  echo = await startServer((s) => s.pipe(s));
  tb = await startTestBoard();
});
afterAll(async () => {
  await tb.close();
  await echo.close();
});

describe('TCP sockets on the simulated board', () => {
  it('echoes 200 KB through a real TCP server unchanged', async () => {
    const r = await tb.exec(
      `${JOIN_WIFI}
import hashlib, binascii
s = socket.socket()
s.connect(socket.getaddrinfo('127.0.0.1', ${echo.port})[0][-1])
block = bytes(range(256)) * 16
sent = hashlib.sha256()
got = hashlib.sha256()
received = 0
for i in range(50):
    s.sendall(block)
    sent.update(block)
while received < 50 * len(block):
    d = s.recv(8192)
    got.update(d)
    received += len(d)
s.close()
print(received, binascii.hexlify(sent.digest()) == binascii.hexlify(got.digest()))`,
      30000,
    );
    expect(r.err).toBe('');
    expect(r.out).toBe('204800 True\n');
  });

  it('fetches a page from a real HTTP server with plain sockets, as a beginner example does', async () => {
    const server = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end(`hello from ${req.method} ${req.url} host=${req.headers.host}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await tb.exec(`${JOIN_WIFI}
addr = socket.getaddrinfo('localhost', ${port})[0][-1]
s = socket.socket()
s.settimeout(5)
s.connect(addr)
s.send(b'GET /lesson?x=1 HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n')
status = s.readline()
while s.readline() != b'\\r\\n':
    pass
print(status)
print(s.read())
s.close()`);
      expect(r.err).toBe('');
      expect(r.out).toBe("b'HTTP/1.1 200 OK\\r\\n'\nb'hello from GET /lesson?x=1 host=localhost'\n");
    } finally {
      server.close();
    }
  });

  it('makefile, write and read(n) behave as streams: read(n) waits for all n bytes', async () => {
    const dribble = await startServer((s) => {
      // The answer arrives in three pieces, so read(6) must wait for all of them.
      s.once('data', () => {
        s.write('ab');
        setTimeout(() => s.write('cd'), 30);
        setTimeout(() => s.end('ef'), 60);
      });
    });
    try {
      const r = await tb.exec(`${JOIN_WIFI}
s = socket.socket()
s.connect(('127.0.0.1', ${dribble.port}))
f = s.makefile('rwb')
print(f.write(b'go'))
print(f.read(6), s.read(1), s.recv(10))
buf = bytearray(4)
print(s.readinto(buf), buf)
s.close()`);
      expect(r.err).toBe('');
      expect(r.out).toBe("2\nb'abcdef' b'' b''\n0 bytearray(b'\\x00\\x00\\x00\\x00')\n");
    } finally {
      await dribble.close();
    }
  });

  it('raises OSError ECONNREFUSED (111) for a closed port', async () => {
    const port = await closedPort();
    const r = await tb.exec(`${JOIN_WIFI}
s = socket.socket()
try:
    s.connect(('127.0.0.1', ${port}))
except OSError as e:
    print(e.errno, e.errno == errno.ECONNREFUSED)`);
    expect(r.out).toBe('111 True\n');
  });

  it('raises ETIMEDOUT (110) when recv waits longer than settimeout, and EAGAIN (11) when non-blocking', async () => {
    const silent = await startServer(() => undefined);
    try {
      const r = await tb.exec(`${JOIN_WIFI}
s = socket.socket()
s.connect(('127.0.0.1', ${silent.port}))
s.settimeout(0.3)
t0 = time.ticks_ms()
try:
    s.recv(10)
except OSError as e:
    dt = time.ticks_diff(time.ticks_ms(), t0)
    print(e.errno == errno.ETIMEDOUT, e.errno, 290 <= dt < 1000)
s.setblocking(False)
for f in (lambda: s.recv(1), lambda: s.read(1)):
    try:
        print(f())
    except OSError as e:
        print('raised', e.errno)
s.close()`);
      expect(r.err).toBe('');
      // recv raises EAGAIN; read returns None, as a stream does on a board.
      expect(r.out).toBe('True 110 True\nraised 11\nNone\n');
    } finally {
      await silent.close();
    }
  });

  it('a reset by the peer raises ECONNRESET (104) after the data that came before it', async () => {
    const rude = await startServer((s) => {
      s.write('last words', () => setTimeout(() => s.resetAndDestroy(), 50));
    });
    try {
      const r = await tb.exec(`${JOIN_WIFI}
s = socket.socket()
s.connect(('127.0.0.1', ${rude.port}))
print(s.recv(100))
try:
    print(s.recv(100))
except OSError as e:
    print(e.errno == errno.ECONNRESET, e.errno)`);
      expect(r.out).toBe("b'last words'\nTrue 104\n");
    } finally {
      await rude.close();
    }
  });

  it('a non-blocking send says EAGAIN once a peer that does not read has let the buffers fill', async () => {
    const stuck = await startServer((s) => s.pause());
    try {
      const r = await tb.exec(`${JOIN_WIFI}
s = socket.socket()
s.connect(('127.0.0.1', ${stuck.port}))
s.setblocking(False)
block = bytes(16384)
sent = 0
try:
    while sent < 64 * 1024 * 1024:
        sent += s.send(block)
except OSError as e:
    print(e.errno == errno.EAGAIN, sent > 0, sent < 64 * 1024 * 1024)
s.close()`);
      expect(r.out).toBe('True True True\n');
    } finally {
      await stuck.close();
    }
  });

  it('a non-blocking connect says EINPROGRESS, then select.poll reports it writable and data readable', async () => {
    const r = await tb.exec(`${JOIN_WIFI}
import select
s = socket.socket()
s.setblocking(False)
try:
    s.connect(('127.0.0.1', ${echo.port}))
except OSError as e:
    print('connect', e.errno == errno.EINPROGRESS)
p = select.poll()
p.register(s, select.POLLOUT)
print(p.poll(2000) == [(s, select.POLLOUT)])
p.modify(s, select.POLLIN)
print(p.poll(50))
s.send(b'ping')
t0 = time.ticks_ms()
ev = p.poll(2000)
print(ev == [(s, select.POLLIN)], time.ticks_diff(time.ticks_ms(), t0) < 1000, s.recv(10))
r, w, x = select.select([s], [s], [], 1)
print(r, w == [s])
s.close()`);
    expect(r.err).toBe('');
    expect(r.out).toBe("connect True\nTrue\n[]\nTrue True b'ping'\n[] True\n");
  });

  it('needs the Wi-Fi: without it connect raises EHOSTUNREACH and name lookups fail as on an rp2 board', async () => {
    const r = await tb.exec(`import socket, errno, network
network.WLAN(network.STA_IF).disconnect()
s = socket.socket()
try:
    s.connect(('127.0.0.1', ${echo.port}))
except OSError as e:
    print(e.errno == errno.EHOSTUNREACH)
try:
    socket.getaddrinfo('localhost', 80)
except OSError as e:
    print(e.args[0])
print(socket.getaddrinfo('10.0.0.7', 1883))`);
    expect(r.out).toBe("True\n-2\n[(2, 1, 0, '', ('10.0.0.7', 1883))]\n");
  });

  it('resolves names on the host; an unknown name fails as lwIP does on rp2 (OSError -2)', async () => {
    const r = await tb.exec(`${JOIN_WIFI}
print(socket.getaddrinfo('localhost', 1883)[0][-1])
try:
    socket.getaddrinfo('no-such-host.invalid', 80)
except OSError as e:
    print(e.args[0])`);
    expect(r.out).toBe("('127.0.0.1', 1883)\n-2\n");
  });

  it('import usocket gives the same sockets; raw sockets are refused with EOPNOTSUPP', async () => {
    const r = await tb.exec(`import usocket, socket, errno, select
print(usocket.socket is socket.socket, usocket.getaddrinfo is socket.getaddrinfo)
# The simulator's modules, not the interpreter's built-in select.
print(socket.__file__, select.__file__)
try:
    socket.socket(socket.AF_INET, socket.SOCK_RAW)
except OSError as e:
    print(e.errno == errno.EOPNOTSUPP)`);
    // .mpy when the build has precompiled the simulator's modules, else their source.
    expect(r.out).toMatch(/^True True\n\/\.mote\/socket\.m?py \/\.mote\/select\.m?py\nTrue\n$/);
  });

  it('Ctrl-C stops a program blocked in recv within 50 ms', async () => {
    let ready = false;
    const silent = await startServer((s, changed) => s.on('data', () => ((ready = true), changed())));
    try {
      const done = tb.session.run(`${JOIN_WIFI}
s = socket.socket()
s.connect(('127.0.0.1', ${silent.port}))
s.send(b'ready')
s.recv(10)
print('not reached')`);
      // The board says "ready" right before it blocks in recv, waiting for bytes that never come.
      await waitUntil(silent.onEvent, () => ready, 5000, 'the board to connect');
      const t0 = performance.now();
      await tb.session.stop();
      const r = await done;
      expect(performance.now() - t0).toBeLessThan(50);
      expect(r.interrupted).toBe(true);
      expect(r.stdout.toString()).not.toContain('not reached');
    } finally {
      await silent.close();
    }
  });

  it('Ctrl-C at any moment of a send/recv loop stops the program (never a hang)', async () => {
    const srv = await startServer((s) => s.on('data', () => undefined));
    try {
      for (let k = 0; k < 15; k++) {
        const before = srv.sockets.length;
        const done = tb.session.run(`${JOIN_WIFI}
s = socket.socket()
s.connect(('127.0.0.1', ${srv.port}))
s.settimeout(0.001)
while True:
    s.send(b'tick')
    try:
        s.recv(10)
    except OSError:
        pass`);
        await waitUntil(srv.onEvent, () => srv.sockets.length > before, 5000, 'the board to connect');
        // Sample moments inside the loop: in send, in recv, between them.
        await new Promise((r) => setTimeout(r, k));
        await tb.session.stop();
        const r = await Promise.race([done, new Promise<'hang'>((res) => setTimeout(() => res('hang'), 3000))]);
        expect(r === 'hang' ? `hang when stopped ${k} ms after connecting` : r.interrupted).toBe(true);
      }
    } finally {
      await srv.close();
    }
  });

  it('a soft reset closes the sockets a program left open, and the server sees the close', async () => {
    const got: string[] = [];
    const srv = await startServer((s, changed) => s.on('data', (d) => (got.push(d.toString()), changed())));
    try {
      const r = await tb.exec(`${JOIN_WIFI}
s = socket.socket()
s.connect(('127.0.0.1', ${srv.port}))
s.send(b'left open')`);
      expect(r.err).toBe('');
      await waitUntil(srv.onEvent, () => got.join('') === 'left open', 5000, 'the bytes');
      const sock = srv.sockets[0];
      expect(sock.destroyed).toBe(false);
      await tb.session.softReset();
      await waitUntil(srv.onEvent, () => sock.destroyed, 5000, 'the server to see the close');
    } finally {
      await srv.close();
    }
  });
});

describe('the address policy seen from the board', () => {
  it('refuses a public address by default with EACCES (13) and a one-line note naming the setting', async () => {
    const r = await tb.exec(`${JOIN_WIFI}
for i in range(2):
    s = socket.socket()
    try:
        s.connect(('203.0.113.7', 80))
    except OSError as e:
        print(e.errno == errno.EACCES, e.errno)`);
    // The note is printed once, not on every attempt.
    expect(r.out).toBe(
      "[Mote] connection refused: the simulator reaches only loopback and private addresses, and 203.0.113.7 is public (allow public addresses in the simulator's network setting)\nTrue 13\nTrue 13\n",
    );
  });

  it('lets the connection through the policy when the board allows public addresses', async () => {
    const open = await startTestBoard({ hostSettings: { network: { allowPublic: true } } });
    try {
      // 203.0.113.0/24 is reserved for documentation. Whether the attempt then
      // connects (this sandbox's network may intercept it) or fails in the
      // network, it must not be stopped by the policy.
      const r = await open.exec(`${JOIN_WIFI}
s = socket.socket()
s.settimeout(0.5)
try:
    s.connect(('203.0.113.7', 80))
    print('through the policy')
except OSError as e:
    print('refused' if e.errno == errno.EACCES else 'through the policy')
s.close()`);
      expect(r.out).toBe('through the policy\n');
    } finally {
      await open.close();
    }
  });
});

describe('host-side data integrity', () => {
  it('binary data with every byte value survives both directions', async () => {
    const payload = crypto.randomBytes(70000);
    const digest = crypto.createHash('sha256').update(payload).digest('hex');
    const received: Buffer[] = [];
    const srv = await startServer((s, changed) => {
      s.on('data', (d) => {
        received.push(d);
        changed();
      });
      s.end(payload);
    });
    try {
      const r = await tb.exec(`${JOIN_WIFI}
import hashlib, binascii
s = socket.socket()
s.connect(('127.0.0.1', ${srv.port}))
data = s.read()
s.sendall(data)
s.close()
print(len(data), binascii.hexlify(hashlib.sha256(data).digest()).decode())`);
      expect(r.err).toBe('');
      expect(r.out).toBe(`70000 ${digest}\n`);
      await waitUntil(srv.onEvent, () => Buffer.concat(received).length === payload.length, 5000, 'the echo back');
      expect(Buffer.concat(received).equals(payload)).toBe(true);
    } finally {
      await srv.close();
    }
  });
});
