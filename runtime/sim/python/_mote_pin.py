# machine.Pin and machine.Signal of the simulated board. The JS bridge models
# the pins; every check that should raise is here, with the exception a real
# port raises.
import _mote_hw as _hw
import _mote_board as _board
import _mote_events as _ev

# Bridge codes (pin-model.ts), independent of the Python constants.
_HW_IN = 0
_HW_OUT = 1
_HW_OPEN_DRAIN = 2
_HW_RISING = 1
_HW_FALLING = 2
_UNSET = object()


def pin_id(p):
    """GPIO number of a Pin, an int or a pin name; ValueError for one the board lacks."""
    if isinstance(p, Pin):
        return p._id
    if isinstance(p, str):
        n = _board.PIN_NAMES.get(p)
        if n is None:
            # The rp2 port names the pin it did not find; esp32 says only "invalid pin".
            raise ValueError('unknown named pin "%s"' % p if _board.PLATFORM == "rp2" else "invalid pin")
        return n
    if isinstance(p, int):
        if p not in _board.GPIOS:
            raise ValueError("invalid pin")
        return p
    raise TypeError("can't convert %s to int" % type(p).__name__)


class _PinIRQ:
    def __init__(self, pin, handler, trigger):
        self._pin = pin
        self._handler = handler
        self._trigger = trigger
        self._flags = 0

    def _fire(self, edge):
        self._flags = (Pin.IRQ_RISING if edge & _HW_RISING else 0) | (Pin.IRQ_FALLING if edge & _HW_FALLING else 0)
        if self._handler is not None:
            self._handler(self._pin)

    def flags(self):
        return self._flags

    def trigger(self, trigger=None):
        if trigger is None:
            return self._trigger
        self._trigger = trigger

    def __call__(self):
        if self._handler is not None:
            self._handler(self._pin)


_MODE_TO_HW = {0: _HW_IN, 1: _HW_OUT, 2: _HW_OPEN_DRAIN}
_MODE_NAMES = {0: "IN", 1: "OUT", 2: "OPEN_DRAIN"}


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    ALT = 3
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_FALLING = 4
    IRQ_RISING = 8

    def __init__(self, id, mode=-1, pull=_UNSET, *, value=None, drive=None, alt=None):
        self._id = pin_id(id)
        self._irq = None
        if mode != -1 or pull is not _UNSET or value is not None:
            self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=_UNSET, *, value=None, drive=None, alt=None):
        if mode is None:
            mode = -1
        if mode != -1 and mode not in _MODE_TO_HW:
            raise ValueError("invalid pin mode")
        if mode in (Pin.OUT, Pin.OPEN_DRAIN) and self._id in _board.INPUT_ONLY:
            raise ValueError("pin can only be input")
        if pull is _UNSET:
            hw_pull = -1
        elif pull is None or pull == 0:
            hw_pull = 0
        elif pull in (Pin.PULL_UP, Pin.PULL_DOWN):
            hw_pull = pull
        else:
            raise ValueError("invalid pull")
        if value is not None:
            # The level is latched before the driver turns on, so there is no glitch.
            _hw.pin_write(self._id, 1 if value else 0)
        if _hw.pin_mode(self._id, _MODE_TO_HW.get(mode, -1), hw_pull):
            _ev.dispatch()
        if mode != -1:
            self._mode = mode

    def value(self, v=None):
        if v is None:
            r = _hw.pin_read(self._id)
            if r > 1:
                # Bit 1: an IRQ or timer is waiting; a polling loop lets it run, as on a board.
                _ev.dispatch()
            return r & 1
        self._write(1 if v else 0)

    def __call__(self, v=None):
        return self.value(v)

    def _write(self, level):
        if self._id in _board.INPUT_ONLY:
            # Input-only pins have no output driver: the write has no effect.
            return
        if _hw.pin_write(self._id, level):
            _ev.dispatch()

    def on(self):
        self._write(1)

    def off(self):
        self._write(0)

    def high(self):
        self._write(1)

    def low(self):
        self._write(0)

    def toggle(self):
        self._write(1 - _hw.pin_level(self._id))

    def irq(self, handler=_UNSET, trigger=IRQ_FALLING | IRQ_RISING, *, priority=1, wake=None, hard=False):
        if handler is _UNSET:
            if self._irq is None:
                self._irq = _PinIRQ(self, None, 0)
            return self._irq
        bits = (_HW_RISING if trigger & Pin.IRQ_RISING else 0) | (_HW_FALLING if trigger & Pin.IRQ_FALLING else 0)
        self._irq = _PinIRQ(self, handler, trigger)
        if handler is None or not bits:
            _ev.pin_handlers.pop(self._id, None)
            _hw.irq_enable(self._id, 0)
        else:
            _ev.pin_handlers[self._id] = self._irq
            _hw.irq_enable(self._id, bits)
        return self._irq

    def __eq__(self, other):
        return isinstance(other, Pin) and other._id == self._id

    def __hash__(self):
        return self._id

    def __repr__(self):
        mode = _MODE_NAMES.get(getattr(self, "_mode", -1))
        if _board.PLATFORM == "rp2":
            # Pins off the RP2040 itself (Pico W's wireless chip) go by their name.
            label = "GPIO%d" % self._id if self._id in _board.GPIOS else _board.GPIO_LABELS.get(self._id, str(self._id))
            return "Pin(%s, mode=%s)" % (label, mode) if mode else "Pin(%s)" % label
        return "Pin(%d)" % self._id


class Signal:
    def __init__(self, pin, *args, invert=False, **kw):
        self._pin = pin if isinstance(pin, Pin) and not args and not kw else Pin(pin, *args, **kw)
        self._invert = 1 if invert else 0

    def value(self, v=None):
        if v is None:
            return self._pin.value() ^ self._invert
        self._pin.value((1 if v else 0) ^ self._invert)

    def __call__(self, v=None):
        return self.value(v)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)
