# machine.UART on the simulated board. The simulator models a jumper wire
# from each UART's TX pin to its own RX pin: what the program writes arrives
# back at its receiver one character time later, at the configured baud rate.
# Waits (read timeouts, a full TX buffer, flush) sleep here with time.sleep_us,
# so Timer callbacks, pin IRQs and Ctrl-C work while a program waits, as on a
# board.
#
# On the ESP32, UART(0) is the REPL's own UART (GPIO 1 and 3): what a program
# writes to it appears in the terminal, and the REPL keeps what is typed, so
# reads find nothing.
import sys
import time
import _mote_wires as _w
from _mote_bus import RP2, bus_pins, check, gpio, ptr

_REPL_UART = None if RP2 else 0

def _rp2_pin(uart_id, pin, role, name):
    # The RP2040 routes UARTn's TX to GPIOs 0/4 mod 16 (UART0) or 8/12 (UART1),
    # RX one above; any other pin is refused. The esp32 matrix takes any pin.
    if RP2 and not ((pin & 3) == role and ((pin + 4) & 8) >> 3 == uart_id):
        raise ValueError("bad %s pin" % name)
    return pin


class UART:
    INV_TX = 1
    INV_RX = 2
    RTS = 1
    CTS = 2

    def __init__(self, id, baudrate=115200, bits=8, parity=None, stop=1, **kw):
        self._id = id
        self._console = id == _REPL_UART
        # The port leaves the REPL UART's pins as they are and shows them as -1.
        pins = (-1, -1) if self._console else bus_pins("uart", id)
        self._tx, self._rx = pins[0], pins[1]
        self._baudrate, self._bits, self._parity, self._stop = 115200, 8, None, 1
        self._timeout, self._timeout_char, self._rxbuf, self._txbuf = 0, 0, 256, 256
        self._invert = 0
        self.init(baudrate, bits, parity, stop, **kw)

    def init(self, baudrate=None, bits=None, parity=-1, stop=None, *, tx=None, rx=None, txbuf=None, rxbuf=None,
             timeout=None, timeout_char=None, invert=None, flow=0):
        if baudrate is not None:
            if baudrate <= 0:
                raise ValueError("baudrate must be positive")
            self._baudrate = baudrate
        if bits is not None:
            if bits not in (5, 6, 7, 8):
                raise ValueError("invalid data bits")
            self._bits = bits
        if parity != -1:
            if parity not in (None, 0, 1):
                raise ValueError("invalid parity")
            self._parity = parity
        if stop is not None:
            if stop not in (1, 2):
                raise ValueError("invalid stop bits")
            self._stop = stop
        if tx is not None:
            self._tx = _rp2_pin(self._id, gpio(tx), 0, "TX")
        if rx is not None:
            self._rx = _rp2_pin(self._id, gpio(rx), 1, "RX")
        if txbuf is not None:
            self._txbuf = max(32, txbuf)
        if rxbuf is not None:
            self._rxbuf = max(32, rxbuf)
        if timeout is not None:
            self._timeout = timeout
        if timeout_char is not None:
            self._timeout_char = timeout_char
        if invert is not None:
            if invert & ~3:
                raise ValueError("bad inversion mask" if RP2 else "invalid inversion mask")
            self._invert = invert
        # Both ports make timeout_char at least a character's time (13 bits, in
        # ms, plus one); rp2 on every init, esp32 only when it is given.
        if RP2 or timeout_char is not None:
            self._timeout_char = max(self._timeout_char, 13000 // self._baudrate + 1)
        parity_code = 0 if self._parity is None else (1 if self._parity == 1 else 2)
        if self._console:
            return
        check(_w.uart_init(self._id, self._baudrate, self._bits, parity_code, self._stop, self._rxbuf, self._txbuf))

    def deinit(self):
        pass

    def any(self):
        return 0 if self._console else _w.uart_any(self._id)

    def write(self, buf):
        if self._console:
            sys.stdout.buffer.write(buf)
            return len(buf)
        data = memoryview(buf)
        sent = 0
        while sent < len(data):
            rest = data[sent:]
            sent += check(_w.uart_write(self._id, ptr(rest), len(rest)))
            if sent < len(data):
                time.sleep_us(max(1, _w.uart_tx_wait_us(self._id, 1)))
        return sent

    def _read_into(self, buf, newline=False):
        # `timeout` for the first character, then `timeout_char` (at least one
        # character time) between characters, as the ports' stream reads do.
        if self._console:
            time.sleep_ms(self._timeout)
            return 0
        mv = memoryview(buf)
        got = 0
        start = time.ticks_us()
        limit = self._timeout * 1000
        while got < len(buf):
            # The clock is read before looking for data, so a byte that landed
            # in time is still taken when this worker was paused past the
            # deadline (a busy host), instead of ending the read short. Strictly
            # past it, because ticks_us is floored to the microsecond.
            left = limit - time.ticks_diff(time.ticks_us(), start)
            rest = mv[got:]
            n = check(_w.uart_read(self._id, ptr(rest), len(rest), 1 if newline else 0))
            if n:
                got += n
                if newline and buf[got - 1] == 10:
                    break
                start = time.ticks_us()
                limit = max(self._timeout_char * 1000, _w.uart_char_us(self._id))
                continue
            if left < 0:
                break
            nxt = _w.uart_next_us(self._id)
            time.sleep_us(left if nxt < 0 or nxt > left else max(1, nxt))
        return got

    def _read(self, n, newline=False):
        buf = bytearray(n)
        got = self._read_into(buf, newline)
        return bytes(buf[:got]) if got else None

    def _read_all(self, newline=False):
        # No size: what arrives until the line goes quiet (or the newline), in receive-buffer chunks.
        data = b""
        while True:
            chunk = bytearray(self._rxbuf)
            got = self._read_into(chunk, newline)
            data += chunk[:got]
            if got < len(chunk) or (newline and chunk[got - 1] == 10):
                return data if data else None

    def read(self, nbytes=None):
        return self._read_all() if nbytes is None else self._read(nbytes)

    def readinto(self, buf, nbytes=None):
        target = buf if nbytes is None or nbytes >= len(buf) else memoryview(buf)[:nbytes]
        got = self._read_into(target)
        return got if got else None

    def readline(self):
        return self._read_all(True)

    def flush(self):
        while not self.txdone():
            time.sleep_us(max(1, _w.uart_tx_wait_us(self._id, 0)))

    def txdone(self):
        return self._console or _w.uart_txdone(self._id) == 1

    def sendbreak(self):
        pass

    def __repr__(self):
        # Each port's own layout: rp2 ends with the line inversion, esp32 also
        # shows the flow-control pins (-1: none) and an inversion only when set.
        head = "UART(%d, baudrate=%d, bits=%d, parity=%s, stop=%d, tx=%d, rx=%d, " % (
            self._id, self._baudrate, self._bits, self._parity, self._stop, self._tx, self._rx)
        tail = "txbuf=%d, rxbuf=%d, timeout=%d, timeout_char=%d" % (self._txbuf, self._rxbuf, self._timeout, self._timeout_char)
        inv = ("None", "INV_TX", "INV_RX", "INV_TX|INV_RX")[self._invert]
        if RP2:
            return "%s%s, invert=%s)" % (head, tail, inv)
        return "%srts=-1, cts=-1, %s%s)" % (head, tail, ", invert=" + inv if self._invert else "")
