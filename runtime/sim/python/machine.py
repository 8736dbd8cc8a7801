# The simulated board's `machine` module. It runs inside the real MicroPython
# interpreter and talks to the simulator through `_mote_hw`, a JS bridge that
# takes and returns only small ints and never raises: every check that should
# raise does so here, with the exception type a real port uses.
import _mote_hw as _hw
import _mote_board as _board


def _resolve(pin_id):
    if isinstance(pin_id, str):
        n = _board.PIN_NAMES.get(pin_id)
        if n is None:
            raise ValueError("unknown pin")
        return n
    if isinstance(pin_id, int):
        if pin_id not in _board.GPIOS:
            raise ValueError("invalid pin")
        return pin_id
    if isinstance(pin_id, Pin):
        return pin_id._id
    raise TypeError("can't convert %s to int" % type(pin_id).__name__)


_irq_handlers = {}


def _dispatch_irqs():
    # Called by the sleep and pin helpers: runs pending pin IRQ handlers
    # between bytecodes, never re-entrantly, as a board's scheduler does.
    while True:
        ev = _hw.irq_next()
        if ev < 0:
            return
        entry = _irq_handlers.get(ev >> 2)
        if entry is None:
            continue
        pin, handler, trigger = entry
        if trigger & (ev & 3):
            handler(pin)


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_FALLING = 4
    IRQ_RISING = 8
    _EDGE_BITS = {4: 2, 8: 1}

    def __init__(self, id, mode=-1, pull=-1, *, value=None):
        self._id = _resolve(id)
        if mode != -1 or pull != -1 or value is not None:
            self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None):
        if mode not in (-1, Pin.IN, Pin.OUT, Pin.OPEN_DRAIN):
            raise ValueError("invalid pin mode")
        if pull not in (-1, None, 0, Pin.PULL_UP, Pin.PULL_DOWN):
            raise ValueError("invalid pull")
        if value is not None:
            _hw.pin_write(self._id, 1 if value else 0)
        _hw.pin_mode(self._id, -1 if mode is None else mode, -1 if pull is None else (pull or 0))

    def value(self, v=None):
        if v is None:
            _dispatch_irqs()
            return _hw.pin_read(self._id)
        _hw.pin_write(self._id, 1 if v else 0)

    def __call__(self, v=None):
        return self.value(v)

    def on(self):
        _hw.pin_write(self._id, 1)

    def off(self):
        _hw.pin_write(self._id, 0)

    def high(self):
        _hw.pin_write(self._id, 1)

    def low(self):
        _hw.pin_write(self._id, 0)

    def toggle(self):
        _hw.pin_write(self._id, 1 - _hw.pin_level(self._id))

    def irq(self, handler=None, trigger=IRQ_FALLING | IRQ_RISING, hard=False):
        bits = 0
        for flag, bit in Pin._EDGE_BITS.items():
            if trigger & flag:
                bits |= bit
        if handler is None:
            _irq_handlers.pop(self._id, None)
            _hw.irq_enable(self._id, 0)
        else:
            _irq_handlers[self._id] = (self, handler, bits)
            _hw.irq_enable(self._id, bits)
        return None

    def __repr__(self):
        name = _board.GPIO_LABELS.get(self._id)
        return "Pin(%s)" % (name if name else "GPIO%d" % self._id)


class Signal:
    def __init__(self, pin, *args, invert=False, **kw):
        self._pin = pin if isinstance(pin, Pin) else Pin(pin, *args, **kw)
        self._invert = bool(invert)

    def value(self, v=None):
        if v is None:
            return self._pin.value() ^ self._invert
        self._pin.value((1 if v else 0) ^ self._invert)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)


def freq(hz=None):
    if hz is None:
        return _board.FREQ
    raise OSError(22)


def unique_id():
    return _board.UNIQUE_ID


def reset():
    _hw.board_reset(1)
    while True:
        _hw.sleep_ms(1000)


def soft_reset():
    _hw.board_reset(0)
    while True:
        _hw.sleep_ms(1000)


def idle():
    _hw.sleep_ms(0)
    _dispatch_irqs()


def lightsleep(ms=None):
    import time
    time.sleep_ms(ms if ms is not None else 1000)


deepsleep = lightsleep


def reset_cause():
    return _hw.reset_cause()


PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5
