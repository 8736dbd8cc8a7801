# machine.PWM of the simulated board: frequency and duty checked as the real
# port checks them; the bridge draws LED brightness and servo angles from it.
import _mote_hw as _hw
import _mote_board as _board
from _mote_pin import pin_id

_RP2 = _board.PLATFORM == "rp2"
if _RP2:
    # 125 MHz system clock: the divider and 16-bit counter bound the frequency.
    _FREQ_MIN, _FREQ_MAX = 8, 62_500_000
    _DEFAULT_FREQ = 1907  # what an unconfigured slice runs at (125 MHz / 65536)
    _DEFAULT_DUTY = 0
else:
    _FREQ_MIN, _FREQ_MAX = 1, 40_000_000
    _DEFAULT_FREQ = 5000
    _DEFAULT_DUTY = 32768

# Pins running PWM; on rp2 two pins of one slice share a frequency.
_active = {}


def _slice(gpio):
    return (gpio >> 1) & 7


class PWM:
    def __init__(self, dest, *, freq=None, duty_u16=None, duty_ns=None, invert=False):
        self._gpio = pin_id(dest)
        if self._gpio in _board.INPUT_ONLY:
            raise ValueError("pin can only be input")
        self._freq = _DEFAULT_FREQ
        if _RP2:
            for other in _active.values():
                if _slice(other._gpio) == _slice(self._gpio):
                    self._freq = other._freq
        self._duty = _DEFAULT_DUTY
        self._ns = None  # set when the duty was given in ns: it is kept across freq changes
        self._invert = bool(invert)
        self.init(freq=freq, duty_u16=duty_u16, duty_ns=duty_ns, invert=invert)

    def init(self, *, freq=None, duty_u16=None, duty_ns=None, invert=None):
        if invert is not None:
            self._invert = bool(invert)
        if freq is not None:
            self._set_freq(freq)
            self._share_freq()
        if duty_u16 is not None:
            self._set_u16(duty_u16)
        elif duty_ns is not None:
            self._set_ns(duty_ns)
        _active[self._gpio] = self
        self._push()

    def deinit(self):
        _active.pop(self._gpio, None)
        _hw.pwm_stop(self._gpio)

    def freq(self, value=None):
        if value is None:
            return self._freq
        self._set_freq(value)
        self._push()
        self._share_freq()

    def _share_freq(self):
        if not _RP2:
            return
        for other in _active.values():
            if other is not self and _slice(other._gpio) == _slice(self._gpio):
                other._freq = self._freq
                other._push()

    def duty_u16(self, value=None):
        if value is None:
            return self._u16()
        self._set_u16(value)
        self._push()

    def duty_ns(self, value=None):
        if value is None:
            if self._ns is not None:
                return self._ns
            return self._duty * 1_000_000_000 // (self._freq * 65536)
        self._set_ns(value)
        self._push()

    def _set_freq(self, f):
        f = int(f)
        if f < _FREQ_MIN or f > _FREQ_MAX:
            if _RP2:
                raise ValueError("freq too small" if f < _FREQ_MIN else "freq too large")
            raise ValueError("freq must be between 1Hz and 40MHz")
        self._freq = f

    def _set_u16(self, v):
        v = int(v)
        if v < 0 or v > 65535:
            raise ValueError("duty_u16 must be from 0 to 65535")
        self._duty = v
        self._ns = None

    def _set_ns(self, v):
        v = int(v)
        if v < 0:
            raise ValueError("duty_ns must be non-negative")
        self._ns = v

    def _u16(self):
        if self._ns is None:
            return self._duty
        return min(65535, self._ns * self._freq * 65536 // 1_000_000_000)

    def _push(self):
        if self._gpio in _active:
            d = self._u16()
            _hw.pwm_set(self._gpio, self._freq, 65535 - d if self._invert else d)

    def __repr__(self):
        if _RP2:
            return "<PWM slice=%d channel=%d invert=%d>" % (_slice(self._gpio), self._gpio & 1, self._invert)
        return "PWM(Pin(%d), freq=%d, duty_u16=%d)" % (self._gpio, self._freq, self._u16())
