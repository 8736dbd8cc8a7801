// asyncio on the simulated board behaves as MicroPython's asyncio documents it
// for a board (docs.micropython.org, library/asyncio): run() blocks until the
// main task ends, tasks take turns at each await, and sleeping tasks leave pin
// IRQs, timers and Ctrl-C working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBoard, type TestBoard } from './sim-test-kit.js';

describe('asyncio on the simulated board', () => {
  let tb: TestBoard;
  beforeAll(async () => (tb = await startTestBoard()));
  afterAll(() => tb.close());

  it('run() returns the main coroutine\'s value; tasks interleave in time order', async () => {
    const r = await tb.exec(`import asyncio, time
log = []
async def worker(name, ms, n):
    for i in range(n):
        log.append(name + str(i))
        await asyncio.sleep_ms(ms)
    return name * 2
async def main():
    a = asyncio.create_task(worker("a", 30, 3))
    b = asyncio.create_task(worker("b", 45, 2))
    t0 = time.ticks_ms()
    got = await asyncio.gather(a, b)
    return got, time.ticks_diff(time.ticks_ms(), t0) >= 90
print(asyncio.run(main()))
print(log)`);
    expect(r.err).toBe('');
    expect(r.out).toBe("(['aa', 'bb'], True)\n['a0', 'b0', 'a1', 'b1', 'a2']\n");
  });

  it('sleep(0) yields to the other ready tasks, first come first served', async () => {
    const r = await tb.exec(`import asyncio
out = []
async def spin(tag):
    for i in range(3):
        out.append(tag)
        await asyncio.sleep(0)
async def main():
    await asyncio.gather(spin("x"), spin("y"), spin("z"))
asyncio.run(main())
print("".join(out))`);
    expect(r.out).toBe('xyzxyzxyz\n');
  });

  it('wait_for raises TimeoutError and cancels the slow task; a cancelled task sees CancelledError', async () => {
    const r = await tb.exec(`import asyncio
seen = []
async def slow():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        seen.append("cancelled")
        raise
async def main():
    try:
        await asyncio.wait_for(slow(), 0.05)
    except asyncio.TimeoutError:
        seen.append("timeout")
    t = asyncio.create_task(slow())
    await asyncio.sleep_ms(10)
    print(t.cancel(), t.done())
    try:
        await t
    except asyncio.CancelledError:
        seen.append("awaited cancelled")
    print(t.done(), t.cancel())
    print(await asyncio.wait_for_ms(quick(), 500))
async def quick():
    await asyncio.sleep_ms(5)
    return "quick"
asyncio.run(main())
print(seen)`);
    expect(r.err).toBe('');
    expect(r.out).toBe("True False\nTrue False\nquick\n['cancelled', 'timeout', 'cancelled', 'awaited cancelled']\n");
  });

  it('Event wakes every waiter; Lock lets one task in at a time, in arrival order', async () => {
    const r = await tb.exec(`import asyncio
out = []
ev = asyncio.Event()
lock = asyncio.Lock()
async def waiter(n):
    await ev.wait()
    out.append("w%d" % n)
async def user(n):
    async with lock:
        out.append("in%d" % n)
        await asyncio.sleep_ms(5)
        out.append("out%d" % n)
async def main():
    ws = [asyncio.create_task(waiter(i)) for i in range(3)]
    await asyncio.sleep_ms(5)
    print(ev.is_set(), out)
    ev.set()
    await asyncio.gather(*ws)
    await asyncio.gather(user(1), user(2))
    print(lock.locked())
asyncio.run(main())
print(out)`);
    expect(r.err).toBe('');
    expect(r.out).toBe("False []\nFalse\n['w0', 'w1', 'w2', 'in1', 'out1', 'in2', 'out2']\n");
  });

  it('a ThreadSafeFlag set by a machine.Timer callback wakes its task while every task sleeps', async () => {
    const r = await tb.exec(`import asyncio, time
from machine import Timer
flag = asyncio.ThreadSafeFlag()
async def main():
    t0 = time.ticks_ms()
    tim = Timer(period=40, mode=Timer.ONE_SHOT, callback=lambda t: flag.set())
    await flag.wait()
    return time.ticks_diff(time.ticks_ms(), t0)
ms = asyncio.run(main())
print(40 <= ms < 200)`);
    expect(r.err).toBe('');
    expect(r.out).toBe('True\n');
  });

  it('an exception in a task nobody awaits is reported, and the main task\'s exception comes out of run()', async () => {
    const r = await tb.exec(`import asyncio
async def bad():
    raise ValueError("boom")
async def main():
    asyncio.create_task(bad())
    await asyncio.sleep_ms(5)
    raise KeyError("main")
try:
    asyncio.run(main())
except KeyError as e:
    print("run raised", repr(e))`);
    expect(r.out).toContain("Task exception wasn't retrieved");
    expect(r.out).toContain('ValueError: boom');
    expect(r.out).toContain("run raised KeyError('main',)");
  });

  it('Ctrl-C stops asyncio.run() within 50 ms while every task sleeps', async () => {
    const { output, done } = tb.start(`import asyncio
async def tick():
    while True:
        print("tick")
        await asyncio.sleep(1)
asyncio.new_event_loop()
asyncio.run(tick())`);
    await output.waitForText('tick');
    const t = performance.now();
    await tb.session.stop();
    const r = await done;
    expect(performance.now() - t).toBeLessThan(50);
    expect(r.err).toContain('KeyboardInterrupt');
    // The next program starts from a clean loop when it asks for one.
    const again = await tb.exec(`import asyncio
asyncio.new_event_loop()
async def one():
    return 1
print(asyncio.run(one()))`);
    expect(again.out).toBe('1\n');
  });
});
