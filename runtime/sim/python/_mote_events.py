# Runs pin IRQ handlers and Timer callbacks of the simulated board. A board's
# scheduler runs them between bytecodes; here the bridge holds them until the
# program next touches the hardware or sleeps (or the REPL idles), and they
# run one at a time, never inside each other, as on a board.
import sys
import _mote_hw as _hw

pin_handlers = {}  # gpio -> handler object with _fire(edge)
timers = {}  # timer key -> Timer
_busy = [False]
# A board's scheduler runs one callback per check, so a callback slower than
# its timer's period still lets the main program advance: do likewise.
_PER_DISPATCH = 4


def dispatch():
    if _busy[0]:
        return
    _busy[0] = True
    # While a callback runs, sleeps inside it must not wake for the next event.
    _hw.events_hold(1)
    try:
        for _ in range(_PER_DISPATCH):
            ev = _hw.event_next()
            if ev < 0:
                return
            if ev & 1:
                target = timers.get(ev >> 1)
                arg = None
            else:
                ev >>= 1
                target = pin_handlers.get(ev >> 2)
                arg = ev & 3
            if target is not None:
                _run(target, arg)
    finally:
        _hw.events_hold(0)
        _busy[0] = False


def _run(target, arg):
    try:
        target._fire(arg)
    except KeyboardInterrupt:
        raise
    except Exception as e:
        # A board's scheduler prints the traceback of a failing callback and carries on.
        sys.print_exception(e)


def clear_timer(key):
    timers.pop(key, None)
    _hw.timer_stop(key)
