# `select` for the simulated board. The interpreter's built-in poll spins the
# CPU while it waits and cannot see the host's sockets; this one waits on the
# host (Ctrl-C ends the wait) for the board's sockets and falls back to the
# built-in poll, in short slices, for any other stream (e.g. sys.stdin).
import sys
import time
import _mote_net as _net

# The built-in module, which this file shadows on sys.path.
_path = sys.path[:]
sys.path.clear()
try:
    import select as _builtin
finally:
    sys.path.extend(_path)
del _path

POLLIN = _builtin.POLLIN
POLLOUT = _builtin.POLLOUT
POLLERR = _builtin.POLLERR
POLLHUP = _builtin.POLLHUP
_ALWAYS = POLLERR | POLLHUP
_SLICE_MS = 10


def _ours(obj):
    return hasattr(obj, "_buffered") and hasattr(obj, "_poll")


class _Poll:
    def __init__(self):
        self._reg = {}

    def register(self, obj, eventmask=POLLIN | POLLOUT):
        self._reg[id(obj)] = [obj, eventmask]

    def unregister(self, obj):
        self._reg.pop(id(obj), None)

    def modify(self, obj, eventmask):
        entry = self._reg.get(id(obj))
        if entry is None:
            raise OSError(2)  # ENOENT, as the built-in poll
        entry[1] = eventmask

    def poll(self, timeout=-1):
        return self._wait(-1 if timeout is None or timeout < 0 else int(timeout), 0)

    def ipoll(self, timeout=-1, flags=0):
        return iter(self._wait(-1 if timeout is None or timeout < 0 else int(timeout), flags))

    def _wait(self, timeout, flags):
        sockets = []
        others = None
        for obj, mask in self._reg.values():
            if _ours(obj):
                sockets.append((obj, mask))
            else:
                if others is None:
                    others = _builtin.poll()
                others.register(obj, mask)
        deadline = None if timeout < 0 else time.ticks_add(time.ticks_ms(), timeout)
        while True:
            left = -1 if deadline is None else max(0, time.ticks_diff(deadline, time.ticks_ms()))
            ready = []
            slice_ms = left
            if others is not None:
                ready = list(others.poll(0))
                slice_ms = _SLICE_MS if left < 0 else min(left, _SLICE_MS)
            if ready:
                slice_ms = 0
            ready += self._sockets_ready(sockets, slice_ms)
            if ready or left == 0:
                break
        if flags & 1:
            for obj, _ in ready:
                self._reg[id(obj)][1] = 0
        return ready

    def _sockets_ready(self, sockets, wait_ms):
        if not sockets:
            if wait_ms:
                time.sleep_ms(100 if wait_ms < 0 else wait_ms)
            return []
        out = []
        by_handle = {}
        hs = []
        for obj, mask in sockets:
            if obj._closed or obj._h is None:
                continue
            if obj._buffered() and mask & POLLIN:
                out.append((obj, POLLIN))
                wait_ms = 0
            by_handle[obj._h] = (obj, mask)
            hs.append([obj._h, mask])
        if not hs:
            if wait_ms and not out:
                time.sleep_ms(100 if wait_ms < 0 else wait_ms)
            return out
        v = _net.call({"op": "poll", "hs": hs, "waitMs": wait_ms}, wait_ms)
        seen = [o for o, _ in out]
        for h, ev in v.get("ready", ()):
            obj, mask = by_handle[h]
            ev &= mask | _ALWAYS
            if ev and obj not in seen:
                out.append((obj, ev))
        return out


def poll():
    return _Poll()


def select(rlist, wlist, xlist, timeout=None):
    p = _Poll()
    for o in rlist:
        p.register(o, POLLIN)
    for o in wlist:
        e = p._reg.get(id(o))
        if e:
            e[1] |= POLLOUT
        else:
            p.register(o, POLLOUT)
    for o in xlist:
        if id(o) not in p._reg:
            p.register(o, 0)
    ready = p.poll(-1 if timeout is None else int(timeout * 1000))
    r = [o for o, ev in ready if ev & (POLLIN | _ALWAYS) and o in rlist]
    w = [o for o, ev in ready if ev & (POLLOUT | _ALWAYS) and o in wlist]
    x = [o for o, ev in ready if ev & POLLERR and o in xlist]
    return r, w, x
