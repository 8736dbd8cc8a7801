// Network benchmarks of the simulated board (issue 4): socket throughput
// through a real loopback TCP echo server and round-trip latency, measured by
// the board program itself. Run: npx tsx bench/sim/net.ts
import * as net from 'node:net';
import { drainSpares } from '../../runtime/sim/node/worker-pool.js';
import { startTestBoard } from '../../runtime/sim/node/sim-test-kit.js';
import { JOIN_WIFI } from '../../runtime/sim/node/net/net-test-kit.js';

const echo = net.createServer((s) => s.pipe(s));
await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
const echoPort = (echo.address() as net.AddressInfo).port;
// Sends `n` bytes to whoever connects, then closes: the board's download.
const DOWNLOAD = 4 * 1024 * 1024;
const source = net.createServer((s) => s.end(Buffer.alloc(DOWNLOAD, 0x5a)));
await new Promise<void>((r) => source.listen(0, '127.0.0.1', r));
const sourcePort = (source.address() as net.AddressInfo).port;
// Swallows what it receives: the board's upload.
const sink = net.createServer((s) => s.resume());
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sinkPort = (sink.address() as net.AddressInfo).port;

const tb = await startTestBoard();
const rows: Array<[string, string]> = [];

async function board(code: string): Promise<string> {
  const r = await tb.exec(`${JOIN_WIFI}\n${code}`, 120000);
  if (r.err) throw new Error(r.err);
  return r.out.trim();
}

for (const chunk of [1024, 4096, 16384]) {
  const total = 2 * 1024 * 1024;
  const ms = Number(
    await board(`s = socket.socket()
s.connect(('127.0.0.1', ${echoPort}))
block = bytes(${chunk})
n = ${total} // ${chunk}
t0 = time.ticks_ms()
got = 0
for i in range(n):
    s.sendall(block)
    while got < (i + 1) * ${chunk}:
        got += len(s.recv(${chunk}))
print(time.ticks_diff(time.ticks_ms(), t0))
s.close()`),
  );
  rows.push([`echo, ${chunk / 1024} KB send + recv per step (2 MB)`, `${Math.round(total / 1024 / (ms / 1000))} KB/s each way`]);
}

const downMs = Number(
  await board(`s = socket.socket()
s.connect(('127.0.0.1', ${sourcePort}))
t0 = time.ticks_ms()
got = 0
while True:
    d = s.recv(65536)
    if not d:
        break
    got += len(d)
print(time.ticks_diff(time.ticks_ms(), t0))
s.close()`),
);
rows.push([`download (recv 64 KB, ${DOWNLOAD >> 20} MB)`, `${Math.round(DOWNLOAD / 1024 / (downMs / 1000))} KB/s`]);

const upMs = Number(
  await board(`s = socket.socket()
s.connect(('127.0.0.1', ${sinkPort}))
block = bytes(65536)
t0 = time.ticks_ms()
for i in range(${DOWNLOAD / 65536}):
    s.sendall(block)
print(time.ticks_diff(time.ticks_ms(), t0))
s.close()`),
);
rows.push([`upload (sendall 64 KB, ${DOWNLOAD >> 20} MB)`, `${Math.round(DOWNLOAD / 1024 / (upMs / 1000))} KB/s`]);

const rtts = (
  await board(`s = socket.socket()
s.connect(('127.0.0.1', ${echoPort}))
out = []
for i in range(300):
    t0 = time.ticks_us()
    s.send(b'x')
    s.recv(1)
    out.append(time.ticks_diff(time.ticks_us(), t0))
s.close()
print(' '.join(str(x) for x in out[20:]))`)
)
  .split(' ')
  .map(Number)
  .sort((a, b) => a - b);
const pct = (p: number) => rtts[Math.min(rtts.length - 1, Math.floor(rtts.length * p))] / 1000;
rows.push(['round trip, 1 byte send + recv (median)', `${pct(0.5).toFixed(2)} ms`]);
rows.push(['round trip, 1 byte send + recv (p99)', `${pct(0.99).toFixed(2)} ms`]);

const connects = (
  await board(`out = []
for i in range(50):
    t0 = time.ticks_us()
    s = socket.socket()
    s.connect(('127.0.0.1', ${echoPort}))
    out.append(time.ticks_diff(time.ticks_us(), t0))
    s.close()
print(' '.join(str(x) for x in out))`)
)
  .split(' ')
  .map(Number)
  .sort((a, b) => a - b);
rows.push(['connect to a loopback server (median)', `${(connects[connects.length >> 1] / 1000).toFixed(2)} ms`]);

// The wasm port collects garbage only between commands, so what one call
// allocates is what a long-running program's heap grows by per call. The
// interpreter's own figure (gc.mem_alloc is dressed up as the board's) is
// kept by _mote_identity.
const growth = (
  await board(`import _mote_identity
raw = _mote_identity._gc
s = socket.socket()
s.connect(('127.0.0.1', ${echoPort}))
def idle():
    s.setblocking(False)
    try:
        s.recv(1)
    except OSError:
        pass
def small():
    s.setblocking(True)
    s.send(b'x')
    s.recv(1)
out = []
for f in (idle, small):
    a = raw.mem_alloc()
    for i in range(500):
        f()
    out.append(str((raw.mem_alloc() - a) // 500))
s.close()
print(' '.join(out))`)
).split(' ');
rows.push(['heap growth per idle non-blocking recv (EAGAIN)', `${growth[0]} B`]);
rows.push(['heap growth per 1 byte send + recv', `${growth[1]} B`]);

await tb.close();
await drainSpares();
for (const s of [echo, source, sink]) s.close();

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'simulated board network (loopback)'.padEnd(w)}  result`);
console.log(`${'-'.repeat(w)}  ${'-'.repeat(22)}`);
for (const [name, value] of rows) console.log(`${name.padEnd(w)}  ${value}`);
