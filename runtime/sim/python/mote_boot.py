# Runs once in every fresh interpreter of the simulated board, before boot.py.
# It turns the webassembly port into the simulated board: real-time sleeps over
# the bridge (the port's own sleep busy-waits), os.uname(), a blocking input(),
# and helpers the simulator calls for boot.py/main.py and raw-paste.
import sys
import time
import os
import builtins
import io
import _mote_hw as _hw
import _mote_board as _board
import _mote_events as _ev
import _mote_rtc  # time.time(), localtime() and friends read the board's clock
import _mote_identity  # gc.mem_free() and friends as the profile's board reports them


def _sleep_ms(ms):
    ms = int(ms)
    if ms < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.ticks_add(_hw.ticks_ms(), ms)
    while True:
        left = time.ticks_diff(deadline, _hw.ticks_ms())
        if left <= 0:
            _ev.dispatch()
            return
        # The bridge returns early for a pending IRQ, a due timer or Ctrl-C.
        _hw.sleep_ms(left)
        _ev.dispatch()


def _sleep(s):
    _sleep_ms(s * 1000)


def _sleep_us(us):
    us = int(us)
    if us >= 2000:
        _sleep_ms(us // 1000)
        us = us % 1000
    if us > 0:
        _hw.sleep_us(us)
    _ev.dispatch()


time.sleep = _sleep
time.sleep_ms = _sleep_ms
time.sleep_us = _sleep_us
time.ticks_ms = _hw.ticks_ms
time.ticks_us = _hw.ticks_us
time.ticks_cpu = _hw.ticks_cpu


class _Uname(tuple):
    sysname = property(lambda s: s[0])
    nodename = property(lambda s: s[1])
    release = property(lambda s: s[2])
    version = property(lambda s: s[3])
    machine = property(lambda s: s[4])


_UNAME = _Uname(_board.UNAME)


def _uname():
    return _UNAME


os.uname = _uname


def _input(prompt=None):
    if prompt is not None:
        print(prompt, end="")
    buf = bytearray()
    while True:
        c = _hw.stdin_read()
        if c < 0:
            # Ctrl-C: the bridge has scheduled KeyboardInterrupt.
            _hw.sleep_ms(0)
            continue
        if c == 13 or c == 10:
            print()
            return buf.decode()
        if c == 8 or c == 127:
            if buf:
                # Drop a whole UTF-8 character, then rub it out on screen.
                while buf and (buf[-1] & 0xC0) == 0x80:
                    buf.pop()
                if buf:
                    buf.pop()
                _hw.echo(8)
                _hw.echo(32)
                _hw.echo(8)
            continue
        if c == 4 and not buf:
            raise EOFError
        if c < 32 and c != 9:
            continue
        buf.append(c)
        _hw.echo(c)


builtins.input = _input


# Tracebacks name this module's source file, also when it was loaded as .mpy.
_OWN_FILE = __file__[: __file__.rfind(".")] + ".py"


def _print_exc(e, own_file):
    s = io.StringIO()
    sys.print_exception(e, s)
    # Drop the frame of this helper, which a board would not show.
    lines = [l for l in s.getvalue().split("\n") if own_file not in l]
    print("\n".join(lines), end="")


def run_file(path):
    # Like a board's pyexec_file: run a script from the filesystem, print any
    # traceback, never raise. Returns False if a KeyboardInterrupt stopped it.
    try:
        with open(path) as f:
            src = f.read()
    except OSError:
        return True
    try:
        exec(compile(src, path, "exec"), {"__name__": "__main__"})
    except KeyboardInterrupt as e:
        _print_exc(e, _OWN_FILE)
        return False
    except BaseException as e:
        _print_exc(e, _OWN_FILE)
    return True


def run_events():
    # The REPL is idle: pin IRQs and timer callbacks run as on a board.
    try:
        _ev.dispatch()
    except BaseException as e:
        _print_exc(e, _OWN_FILE)


def check_paste():
    _hw.result(syntax_error_line(_hw.paste_source()))


def syntax_error_line(src):
    # Raw-paste compiles as the bytes stream in; the simulator asks this on a
    # prefix of the program. Returns the SyntaxError's line, or 0.
    try:
        compile(src, "<stdin>", "exec")
    except SyntaxError as e:
        s = io.StringIO()
        sys.print_exception(e, s)
        for l in s.getvalue().split("\n"):
            l = l.strip()
            if l.startswith('File "<stdin>", line '):
                try:
                    return int(l[21:].split(",")[0])
                except ValueError:
                    pass
        return -1
    return 0


# Emscripten's own folders are not part of the board's filesystem.
_HIDDEN = ("dev", "proc", "tmp", "home", ".mote")
_ilistdir0 = os.ilistdir


def _is_root(p):
    if p in ("", "."):
        p = os.getcwd()
    return p.rstrip("/") == ""


def _ilistdir(p="."):
    # Built as a list so a missing folder raises at the call, as on a board.
    hide = _is_root(p)
    base = p.rstrip("/") + "/" if p not in ("", ".") else ""
    out = []
    for e in _ilistdir0(p):
        if hide and e[0] in _HIDDEN:
            continue
        size = 0
        if not (e[1] & 0x4000):
            try:
                size = os.stat(base + e[0])[6]
            except OSError:
                pass
        # A board yields (name, type, inode, size).
        out.append((e[0], e[1], 0, size))
    return iter(out)


def _listdir(p="."):
    return [e[0] for e in _ilistdir(p)]


os.ilistdir = _ilistdir
os.listdir = _listdir


# The port's sys.platform says "webassembly" and its sys module cannot be
# changed, but `import sys` looks in sys.modules first: a stand-in answers
# like the simulated board and hands everything else to the real module.
class _Implementation:
    name = "micropython"
    version = sys.implementation.version
    _machine = _board.UNAME[4]
    _mpy = sys.implementation._mpy
    _build = _board.BUILD

    def __repr__(self):
        return "(name='micropython', version=%r, _machine=%r, _mpy=%d, _build=%r)" % (
            self.version,
            self._machine,
            self._mpy,
            self._build,
        )


class _Sys:
    platform = _board.PLATFORM
    implementation = _Implementation()

    def __getattr__(self, name):
        return getattr(_real_sys, name)

    def __repr__(self):
        return "<module 'sys'>"


_real_sys = sys
sys.modules["sys"] = _Sys()


# The port's filesystem raises Emscripten's errno numbers (ENOENT is 44);
# a board raises MicroPython's (OSError: [Errno 2] ENOENT). Translate them.
_EM_ERRNO = {
    63: 1,  # EPERM
    44: 2,  # ENOENT
    29: 5,  # EIO
    8: 9,  # EBADF
    6: 11,  # EAGAIN
    48: 12,  # ENOMEM
    2: 13,  # EACCES
    20: 17,  # EEXIST
    43: 19,  # ENODEV
    54: 20,  # ENOTDIR
    31: 21,  # EISDIR
    28: 22,  # EINVAL
    51: 28,  # ENOSPC
    69: 30,  # EROFS
    37: 36,  # ENAMETOOLONG
    55: 39,  # ENOTEMPTY
    73: 110,  # ETIMEDOUT
}


_errno_depth = [0]


def _board_errno(f):
    # Wrapped functions call each other (listdir uses ilistdir): translate
    # only in the outermost one, so a number is never translated twice.
    def call(*args, **kw):
        _errno_depth[0] += 1
        try:
            return f(*args, **kw)
        except OSError as e:
            n = e.args[0] if e.args else None
            if _errno_depth[0] == 1 and isinstance(n, int) and n in _EM_ERRNO:
                raise OSError(_EM_ERRNO[n]) from None
            raise
        finally:
            _errno_depth[0] -= 1

    return call


_open0 = open


def _open(file, mode="r", *args, **kw):
    # MEMFS opens a folder and fails only on read; a board's filesystem
    # refuses at open with EISDIR.
    if isinstance(file, str):
        try:
            if os.stat(file)[0] & 0x4000:
                raise OSError(21)
        except OSError as e:
            if e.args and e.args[0] == 21:
                raise
    return _open0(file, mode, *args, **kw)


builtins.open = _board_errno(_open)
for _name in ("stat", "remove", "rename", "mkdir", "rmdir", "chdir", "statvfs", "listdir", "ilistdir", "getcwd", "unlink"):
    if hasattr(os, _name):
        setattr(os, _name, _board_errno(getattr(os, _name)))
