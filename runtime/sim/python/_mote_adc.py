# machine.ADC of the simulated board: each ADC pin reads the slider the user
# sets in the board view, quantised to the 12 bits a real converter has.
import _mote_hw as _hw
import _mote_board as _board
import _mote_events as _ev
from _mote_pin import Pin, pin_id

_RP2 = _board.PLATFORM == "rp2"
_TEMP_CHANNEL = 4
_CHANNEL_GPIO = {ch: g for g, ch in _board.ADC_PINS.items()}


def _to_u16(v):
    raw = (v & 0xFFFF) >> 4
    # Scaled from 12 to 16 bits the way the ports do it, so full scale reads 65535.
    return (raw << 4) | (raw >> 8)


class ADC:
    CORE_TEMP = _TEMP_CHANNEL
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3

    def __init__(self, src, *, atten=None):
        self._gpio = -1
        if _RP2:
            if isinstance(src, int):
                if src in _board.ADC_PINS:
                    self._gpio = src
                elif src in _CHANNEL_GPIO:
                    self._gpio = _CHANNEL_GPIO[src]
                elif src != _TEMP_CHANNEL:
                    raise ValueError("invalid channel")
            else:
                g = pin_id(src)
                if g not in _board.ADC_PINS:
                    raise ValueError("Pin doesn't have ADC capabilities")
                self._gpio = g
        else:
            g = pin_id(src)
            if g not in _board.ADC_PINS:
                raise ValueError("invalid pin")
            self._gpio = g
        self._atten = 3 if atten is None else atten

    def read_u16(self):
        if self._gpio < 0:
            # The RP2040's sensor: 0.706 V at 27 C, falling 1.721 mV per degree, on a 3.3 V scale.
            volts = 0.706 - (_hw.temperature_mc() / 1000 - 27) * 0.001721
            return _to_u16(int(max(0, min(65535, volts / 3.3 * 65535))))
        v = _hw.adc_read(self._gpio)
        if v > 0xFFFF:
            # An IRQ or timer is waiting: a loop that polls the ADC lets it run.
            _ev.dispatch()
        return _to_u16(v)

    def read(self):
        return self.read_u16() >> 4

    def read_uv(self):
        return self.read_u16() * 3_300_000 // 65535

    def atten(self, a):
        self._atten = a

    def __repr__(self):
        if _RP2:
            return "<ADC channel=%d>" % (_board.ADC_PINS[self._gpio] if self._gpio >= 0 else _TEMP_CHANNEL)
        return "ADC(Pin(%d), atten=%d)" % (self._gpio, self._atten)
