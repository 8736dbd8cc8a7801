# The simulated board's real-time clock: the host's wall clock in its own time
# zone (a board's RTC has none), moved by RTC.datetime(...) as on a board.
# It also answers time.time(), time.localtime() and friends, which on a
# board read the RTC.
import time
import _mote_hw as _hw

_offset = [0]
_gmtime = time.gmtime
_mktime = time.mktime


def _now():
    return _hw.host_time() + _offset[0]


def _time():
    return int(_now())


def _time_ns():
    t = _now()
    s = int(t)
    return s * 1_000_000_000 + int((t - s) * 1_000_000) * 1000


def _localtime(secs=None):
    return _gmtime(_time() if secs is None else int(secs))


def _mktime_board(t):
    return int(_mktime(tuple(t)))


time.time = _time
time.time_ns = _time_ns
time.localtime = _localtime
time.gmtime = _localtime
time.mktime = _mktime_board


class RTC:
    def __init__(self, id=0, datetime=None):
        if datetime is not None:
            self.datetime(datetime)

    def init(self, datetime):
        self.datetime(datetime)

    def datetime(self, dt=None):
        if dt is None:
            t = _now()
            s = int(t)
            y, mo, d, h, mi, sec, wd, _ = _gmtime(s)
            return (y, mo, d, wd, h, mi, sec, 0)
        if len(dt) < 7:
            raise ValueError("requested length 8 but object has length %d" % len(dt))
        y, mo, d, _wd, h, mi, sec = dt[:7]
        if not (1 <= mo <= 12 and 1 <= d <= 31 and 0 <= h <= 23 and 0 <= mi <= 59 and 0 <= sec <= 59):
            raise ValueError("invalid datetime")
        # The weekday given is ignored: the clock computes it from the date, as a board's does.
        _offset[0] = _mktime((y, mo, d, h, mi, sec, 0, 0)) - _hw.host_time()

    def now(self):
        y, mo, d, wd, h, mi, s, sub = self.datetime()
        return (y, mo, d, h, mi, s, sub, 0)
