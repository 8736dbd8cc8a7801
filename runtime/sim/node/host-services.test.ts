// The host-call seam on the real interpreter: Python asks a host service and
// blocks until it answers. The echo service is defined here, as a test's own
// service; the real ones (network) have their own tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostServiceFactory } from './host-services.js';
import { startTestBoard, waitUntil, type TestBoard } from './sim-test-kit.js';

const log: string[] = [];
let disposals = 0;
let hold: ((v: { value: unknown }) => void) | null = null;
const holdListeners = new Set<() => void>();

const echo: HostServiceFactory = (board) => ({
  name: 'echo',
  async call(request, bytes) {
    const r = request as { op: string; ms?: number; text?: string };
    log.push(r.op);
    if (r.op === 'fail') throw new Error('the echo service refuses');
    if (r.op === 'slow') await new Promise((res) => setTimeout(res, r.ms ?? 0));
    if (r.op === 'hold') {
      await new Promise<{ value: unknown }>((res) => {
        hold = res;
        for (const l of holdListeners) l();
      });
    }
    const reversed = bytes ? Uint8Array.from(bytes).reverse() : undefined;
    return { value: { ...r, profile: board.profileId, setting: board.settings?.flag ?? null }, ...(reversed ? { bytes: reversed } : {}) };
  },
  dispose: () => void disposals++,
});

describe('host calls from Python', () => {
  let tb: TestBoard;
  beforeAll(async () => {
    tb = await startTestBoard({ hostServices: [echo], hostSettings: { flag: 'on' } });
  });
  afterAll(() => tb.close());

  it('carries a JSON request and bytes to the service and its reply back', async () => {
    const r = await tb.exec(`import _mote_host
v, b = _mote_host.call('echo', {'op': 'echo', 'text': 'héllo'}, b'\\x00\\x01\\xff')
print(v['text'], v['profile'], v['setting'], b)`);
    expect(r.err).toBe('');
    expect(r.out).toBe("héllo sim-pico on b'\\xff\\x01\\x00'\n");
  });

  it('reports a failing service, an unknown service and a timeout as errors with their reason', async () => {
    const r = await tb.exec(`import _mote_host
for svc, op, t in (('echo', 'fail', 1000), ('nope', 'x', 1000), ('echo', 'slow', 50)):
    try:
        _mote_host.call(svc, {'op': op, 'ms': 2000}, None, t)
    except _mote_host.HostError as e:
        print(repr(e.args[0]))`);
    expect(r.out).toBe("'the echo service refuses'\n'no host service \"nope\"'\n'timeout'\n");
  });

  it('a late reply to a call that timed out never answers the next call', async () => {
    const r = await tb.exec(`import _mote_host
try:
    _mote_host.call('echo', {'op': 'slow', 'ms': 150}, None, 20)
except OSError as e:
    print(e.args[0])
v, _ = _mote_host.call('echo', {'op': 'slow', 'ms': 300, 'text': 'second'}, None, 2000)
print(v['text'])`);
    expect(r.out).toBe('timeout\nsecond\n');
  });

  it('Ctrl-C stops a program waiting for the host within 50 ms', async () => {
    const done = tb.session.run(`import _mote_host
_mote_host.call('echo', {'op': 'hold'}, None, 60000)
print('not reached')`);
    await waitUntil((l) => (holdListeners.add(l), () => holdListeners.delete(l)), () => hold !== null, 5000, 'the call to reach the host');
    const t0 = performance.now();
    await tb.session.stop();
    const r = await done;
    expect(performance.now() - t0).toBeLessThan(50);
    expect(r.interrupted).toBe(true);
    expect(r.stdout.toString()).not.toContain('not reached');
    hold!({ value: 'too late' });
    hold = null;
    // The board is usable afterwards and the late reply is ignored.
    expect((await tb.exec(`import _mote_host\nprint(_mote_host.call('echo', {'op': 'echo', 'text': 'ok'})[0]['text'])`)).out).toBe('ok\n');
  });

  it('a reset disposes the services of the interpreter life that ended', async () => {
    const before = disposals;
    await tb.board.hardReset();
    await waitUntil((l) => tb.board.onState(l), () => tb.board.state === 'ready', 5000, 'the board to boot again');
    expect(disposals).toBe(before + 1);
    expect((await tb.exec(`import _mote_host\nprint(_mote_host.call('echo', {'op': 'echo', 'text': 'again'})[0]['text'])`)).out).toBe('again\n');
  });
});
