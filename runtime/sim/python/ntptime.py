# `ntptime` on the simulated board: the host's clock stands in for an NTP
# server (no request goes out, so it works offline and needs no public
# address), but the board must have joined Wi-Fi, as a real board needs the
# network to ask one.
import time as _time
import _mote_net as _net

host = "pool.ntp.org"
timeout = 1


def time():
    """Seconds since the time module's epoch (UTC), from the host's clock."""
    if not _net.sta_connected():
        raise _net.dns_error()
    return int(_time.time())


def settime():
    t = time()
    tm = _time.gmtime(t)
    try:
        import machine

        machine.RTC().datetime((tm[0], tm[1], tm[2], tm[6] + 1, tm[3], tm[4], tm[5], 0))
    except (ImportError, AttributeError):
        # Without a simulated RTC the board's clock already is the host's.
        pass
