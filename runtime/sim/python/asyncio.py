# The simulated board's asyncio: the API MicroPython's asyncio has on a board,
# where asyncio.run() blocks until the main task ends. The WebAssembly port's
# own asyncio is driven by the browser's event loop and has no run(), so this
# module, which the simulator puts ahead of it on sys.path, schedules the tasks
# itself and waits with time.sleep_ms: pin IRQs, timers and Ctrl-C keep working
# while every task sleeps. Written for Mote Studio from the documented API.
#
# As on a board, the queue of tasks lives as long as the interpreter: tasks a
# stopped program left behind resume with the next asyncio.run(), unless the
# program calls asyncio.new_event_loop() first.
import sys
import time

__version__ = (3, 0, 0)


class CancelledError(BaseException):
    pass


class TimeoutError(Exception):
    pass


class _Park:
    # Awaiting this hands control back to the scheduler until someone
    # schedules the task again (an Event, a Lock, a finished task).
    def __iter__(self):
        yield None


class _Sleep:
    def __init__(self, ms):
        self.ms = ms

    def __iter__(self):
        yield self.ms


_PARK = _Park()
_queue = []  # tasks ready at some time: [wake_ms, order, task]
_order = [0]
_current = [None]
_tsf_waiting = [0]
_handler = [None]


def _schedule(task, delay_ms=0):
    if task.state != "queued" and task.state != "done":
        task.state = "queued"
        _order[0] += 1
        _queue.append([time.ticks_add(time.ticks_ms(), max(0, int(delay_ms))), _order[0], task])


def _wait_in(waiting):
    # Parks the current task in `waiting` until _wake (cancel() takes it out).
    t = current_task()
    waiting.append(t)
    t.waiting_in = waiting
    return _PARK


def _wake(tasks):
    for t in tasks:
        t.waiting_in = None
        _schedule(t)


def _unqueue(task):
    for i, entry in enumerate(_queue):
        if entry[2] is task:
            del _queue[i]
            return


def _next_entry():
    # The task due first; ties go to the one queued first.
    best = None
    for entry in _queue:
        if best is None:
            best = entry
            continue
        d = time.ticks_diff(entry[0], best[0])
        if d < 0 or (d == 0 and entry[1] < best[1]):
            best = entry
    return best


class Task:
    def __init__(self, coro):
        if not hasattr(coro, "send"):
            raise TypeError("coroutine expected")
        self.coro = coro
        self.state = "new"  # new, queued, waiting, done
        self.data = None  # result or exception once done
        self.failed = False
        self.waiters = []
        self.waiting_in = None  # the list of an Event/Lock/flag it waits in
        self.pending = None  # exception to throw in at its next step
        self.retrieved = False

    def done(self):
        return self.state == "done"

    def cancel(self):
        if self.state == "done":
            return False
        if self is _current[0]:
            raise RuntimeError("can't cancel self")
        if self.waiting_in is not None and self in self.waiting_in:
            self.waiting_in.remove(self)
        self.waiting_in = None
        _unqueue(self)
        self.state = "waiting"
        self.pending = CancelledError()
        _schedule(self)
        return True

    def __iter__(self):
        if self.state != "done":
            yield from _wait_in(self.waiters)
        self.retrieved = True
        if self.failed:
            raise self.data
        return self.data

    __await__ = __iter__

    def __repr__(self):
        return "<Task>"


def _finish(task, value, failed):
    task.state = "done"
    task.data = value
    task.failed = failed
    _wake(task.waiters)
    if failed and not task.waiters and not isinstance(value, CancelledError) and task is not _main[0]:
        _report(task, value)
    task.waiters = []


def _report(task, exc):
    context = {"message": "Task exception wasn't retrieved", "exception": exc, "future": task}
    if _handler[0]:
        _handler[0](_loop, context)
    else:
        Loop.default_exception_handler(_loop, context)


def _step(task):
    _current[0] = task
    task.state = "running"
    exc = task.pending
    task.pending = None
    try:
        got = task.coro.send(None) if exc is None else task.coro.throw(exc)
    except StopIteration as e:
        _finish(task, e.value, False)
    except (CancelledError, Exception) as e:
        _finish(task, e, True)
    else:
        if got is None:
            # Parked: an Event, Lock, flag or awaited task will schedule it.
            task.state = "waiting"
        elif isinstance(got, int):
            task.state = "waiting"
            _schedule(task, got)
        else:
            task.state = "waiting"
            task.pending = RuntimeError("a task can only await awaitables, not %r" % (got,))
            _schedule(task)
    finally:
        _current[0] = None


_main = [None]


def _run_until(done):
    # Runs tasks until done() holds. KeyboardInterrupt and SystemExit pass out,
    # leaving the queue as it is (as on a board).
    while not done():
        entry = _next_entry()
        if entry is None:
            # Every task waits for something outside asyncio (an IRQ setting a
            # ThreadSafeFlag): idle in short naps so IRQ handlers keep running.
            time.sleep_ms(10)
            continue
        wait = time.ticks_diff(entry[0], time.ticks_ms())
        if wait > 0:
            # A ThreadSafeFlag set by an IRQ during the nap must wake its task promptly.
            time.sleep_ms(min(wait, 10) if _tsf_waiting[0] else wait)
            continue
        _queue.remove(entry)
        _step(entry[2])


def create_task(coro):
    t = Task(coro)
    _schedule(t)
    return t


def current_task():
    if _current[0] is None:
        raise RuntimeError("no running task")
    return _current[0]


def sleep_ms(ms):
    return _Sleep(ms)


def sleep(s):
    return _Sleep(int(s * 1000))


def run(coro):
    return _loop.run_until_complete(create_task(coro))


async def gather(*aws, return_exceptions=False):
    tasks = [a if isinstance(a, Task) else create_task(a) for a in aws]
    results = []
    for t in tasks:
        try:
            results.append(await t)
        except (CancelledError, Exception) as e:
            if not return_exceptions:
                raise
            results.append(e)
    return results


async def _cancel_after(task, timeout_ms, expired):
    await _Sleep(timeout_ms)
    expired.append(True)
    task.cancel()


async def wait_for(aw, timeout):
    task = aw if isinstance(aw, Task) else create_task(aw)
    if timeout is None:
        return await task
    expired = []
    timer = create_task(_cancel_after(task, int(timeout * 1000), expired))
    try:
        return await task
    except CancelledError:
        if expired:
            raise TimeoutError
        # We were cancelled ourselves: take the inner task with us.
        task.cancel()
        raise
    finally:
        timer.cancel()


def wait_for_ms(aw, timeout):
    return wait_for(aw, None if timeout is None else timeout / 1000)


class Event:
    def __init__(self):
        self.state = False
        self.waiting = []

    def is_set(self):
        return self.state

    def set(self):
        self.state = True
        waiting, self.waiting = self.waiting, []
        _wake(waiting)

    def clear(self):
        self.state = False

    async def wait(self):
        if not self.state:
            await _wait_in(self.waiting)
        return True


class ThreadSafeFlag:
    # Set from an IRQ handler or a timer callback to wake one waiting task.
    def __init__(self):
        self.state = False
        self.waiting = []

    def set(self):
        self.state = True
        waiting, self.waiting = self.waiting, []
        _tsf_waiting[0] -= len(waiting)
        _wake(waiting)

    def clear(self):
        self.state = False

    async def wait(self):
        while not self.state:
            _tsf_waiting[0] += 1
            try:
                await _wait_in(self.waiting)
            except CancelledError:
                _tsf_waiting[0] -= 1
                raise
        self.state = False


class Lock:
    def __init__(self):
        self.state = False
        self.waiting = []

    def locked(self):
        return self.state

    async def acquire(self):
        while self.state:
            await _wait_in(self.waiting)
        self.state = True
        return True

    def release(self):
        if not self.state:
            raise RuntimeError("Lock not acquired")
        self.state = False
        if self.waiting:
            _wake([self.waiting.pop(0)])

    async def __aenter__(self):
        return await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


class Loop:
    _stopping = [False]

    @staticmethod
    def create_task(coro):
        return create_task(coro)

    @staticmethod
    def run_until_complete(aw):
        task = aw if isinstance(aw, Task) else create_task(aw)
        outer = _main[0]
        _main[0] = task
        try:
            _run_until(task.done)
        finally:
            _main[0] = outer
        task.retrieved = True
        if task.failed:
            raise task.data
        return task.data

    @staticmethod
    def run_forever():
        Loop._stopping[0] = False
        _run_until(lambda: Loop._stopping[0])

    @staticmethod
    def stop():
        Loop._stopping[0] = True

    @staticmethod
    def close():
        pass

    @staticmethod
    def set_exception_handler(handler):
        _handler[0] = handler

    @staticmethod
    def get_exception_handler():
        return _handler[0]

    @staticmethod
    def default_exception_handler(loop, context):
        print(context["message"])
        print("future:", context["future"], "coro=", context["future"].coro)
        sys.print_exception(context["exception"])

    @staticmethod
    def call_exception_handler(context):
        (_handler[0] or Loop.default_exception_handler)(_loop, context)


_loop = Loop()


def get_event_loop(runq_len=0, waitq_len=0):
    return _loop


def new_event_loop():
    # Forget every task, as a fresh interpreter would.
    del _queue[:]
    _tsf_waiting[0] = 0
    return _loop
