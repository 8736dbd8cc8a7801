# The simulated board's `machine` module. It runs inside the real MicroPython
# interpreter and talks to the simulator through `_mote_hw`, a JS bridge that
# takes and returns only small ints and never raises: every check that should
# raise does so in these modules, with the exception type a real port uses.
import binascii
import _mote_hw as _hw
import _mote_board as _board
import _mote_events as _ev
from _mote_pin import Pin, Signal
from _mote_pwm import PWM
from _mote_adc import ADC
from _mote_timer import Timer
from _mote_rtc import RTC

from _mote_bus import I2C, SoftI2C, SPI, SoftSPI, UART

PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5

_freq = [_board.FREQ]
_ESP32_FREQS = (20_000_000, 40_000_000, 80_000_000, 160_000_000, 240_000_000)


def freq(hz=None):
    if hz is None:
        return _freq[0]
    hz = int(hz)
    if _board.PLATFORM == "esp32":
        if hz not in _ESP32_FREQS:
            raise ValueError("frequency must be 20MHz, 40MHz, 80Mhz, 160MHz or 240MHz")
    elif not (48_000_000 <= hz <= 250_000_000):
        raise ValueError("cannot change frequency")
    _freq[0] = hz


def unique_id():
    return _board.UNIQUE_ID


def reset():
    _hw.board_reset(1)


def soft_reset():
    _hw.board_reset(0)


def reset_cause():
    return _hw.reset_cause()


def idle():
    # Gives the simulator a moment, as WFI lets interrupts in on a board.
    _hw.sleep_ms(0)
    _ev.dispatch()


def lightsleep(ms=None):
    import time

    if ms is not None:
        time.sleep_ms(ms)
        return
    # Without a time only an interrupt (pin edge or timer) wakes the board.
    while not _hw.event_pending():
        _hw.sleep_ms(1000)
    _ev.dispatch()


def deepsleep(ms=None):
    import time

    if ms is None:
        while True:
            _hw.sleep_ms(1000)
    time.sleep_ms(ms)
    # Waking from deep sleep is a reset, with its own cause.
    _hw.board_reset(2)


def disable_irq():
    _ev._busy[0], state = True, _ev._busy[0]
    return state


def enable_irq(state=False):
    _ev._busy[0] = bool(state)
    if not state:
        _ev.dispatch()


def bitstream(pin, encoding, timing, buf):
    if encoding != 0:
        raise ValueError("invalid encoding")
    if len(timing) != 4:
        raise ValueError("timing must have 4 values")
    gpio = pin._id if isinstance(pin, Pin) else Pin(pin)._id
    _hw.strip_write(gpio, binascii.hexlify(buf).decode())
