# machine.Timer of the simulated board: the bridge keeps the schedule, the
# callbacks run through _mote_events, between bytecodes, one at a time.
import _mote_hw as _hw
import _mote_board as _board
import _mote_events as _ev

_RP2 = _board.PLATFORM == "rp2"
_ESP32 = _board.PLATFORM == "esp32"
_next_key = [16]  # keys 0..3 are the ESP32's hardware timers


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, *, mode=PERIODIC, freq=-1, period=-1, tick_hz=1000, callback=None, hard=None):
        if _ESP32:
            if not (0 <= id <= 3):
                raise ValueError("invalid Timer number")
            self._key = id
        else:
            if _RP2 and id != -1:
                raise ValueError("Timer doesn't exist")
            self._key = _next_key[0]
            _next_key[0] += 1
        self._mode = mode
        self._period_us = 0
        self._callback = None
        if callback is not None or freq != -1 or period != -1:
            self.init(mode=mode, freq=freq, period=period, tick_hz=tick_hz, callback=callback)

    def init(self, *, mode=PERIODIC, freq=-1, period=-1, tick_hz=1000, callback=None, hard=None):
        if mode not in (Timer.ONE_SHOT, Timer.PERIODIC):
            raise ValueError("invalid mode")
        if freq != -1:
            if freq <= 0:
                raise ValueError("freq must be positive")
            period_us = 1_000_000 / freq
        else:
            if period < 0:
                period = 0xFFFFFFFF
            if tick_hz <= 0:
                raise ValueError("tick_hz must be positive")
            period_us = period * 1_000_000 / tick_hz
        self.deinit()
        self._mode = mode
        self._period_us = period_us
        self._callback = callback
        _ev.timers[self._key] = self
        _hw.timer_start(self._key, float(period_us), 1 if mode == Timer.ONE_SHOT else 0)

    def deinit(self):
        _ev.clear_timer(self._key)

    def _fire(self, _arg):
        if self._mode == Timer.ONE_SHOT:
            _ev.timers.pop(self._key, None)
        if self._callback is not None:
            self._callback(self)

    def __repr__(self):
        return "Timer(mode=%s, period=%dus)" % ("ONE_SHOT" if self._mode == 0 else "PERIODIC", int(self._period_us))
