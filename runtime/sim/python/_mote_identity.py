# The simulated board's memory figures. The wasm interpreter's heap is a
# growable area of over 100 MiB, so its own gc.mem_free() says nothing about
# the board; a program expects the few hundred KB the real board has.
#
# gc.mem_alloc() is reported as what the board has allocated at its prompt
# plus what the program added on the wasm heap since then (objects cost the
# same on both: 32-bit pointers, 16-byte GC blocks). gc.mem_free() is the
# board's heap size minus that. The simulator's own modules are frozen into
# flash on a real board, so their share is left out: the smallest wasm figure
# seen so far is the baseline.
#
# The wasm port collects garbage only when control is back at the prompt
# (between REPL lines or commands), never inside a running program. So
# gc.collect() shows its effect from the next command on, and a program that
# allocates in a loop sees the figure fall; when the fall passes the board's
# heap size the figure starts again from the top, as the real collector would
# have run by then.
import gc as _gc
import sys
import _mote_board as _board

# What gc.mem_alloc() says at a real board's fresh prompt.
_BOOT_ALLOC = 4 * 1024
_HEAP = _board.MEM_FREE + _BOOT_ALLOC
_base = [_gc.mem_alloc()]


def _grown():
    raw = _gc.mem_alloc()
    if raw < _base[0]:
        _base[0] = raw
    grown = raw - _base[0]
    room = _HEAP - _BOOT_ALLOC
    return grown % room if grown >= room else grown


def mem_alloc():
    return _BOOT_ALLOC + _grown()


def mem_free():
    return _HEAP - mem_alloc()


def _mem_info(verbose=None):
    # The summary line as a board prints it; the block map is not simulated.
    used = mem_alloc()
    print("stack: 532 out of 7936")
    print("GC: total: %d, used: %d, free: %d" % (_HEAP, used, _HEAP - used))
    print(" No. of 1-blocks: %d, 2-blocks: %d, max blk sz: %d, max free sz: %d" % (used // 64, used // 256, 64, (_HEAP - used) // 16))


class _Gc:
    # Builtin modules cannot be changed, but `import gc` looks in sys.modules
    # first (as mote_boot does for sys): this stand-in answers for the board.
    mem_alloc = staticmethod(mem_alloc)
    mem_free = staticmethod(mem_free)

    def __getattr__(self, name):
        return getattr(_gc, name)

    def __repr__(self):
        return "<module 'gc'>"


class _Micropython:
    mem_info = staticmethod(_mem_info)

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __repr__(self):
        return "<module 'micropython'>"


def install():
    import micropython

    sys.modules["gc"] = _Gc()
    sys.modules["micropython"] = _Micropython(micropython)


install()
