# The rp2 module on the simulated Pico boards. Only bootsel_button() is here:
# the simulator has no PIO, DMA or flash to offer, and a missing name fails
# loudly (AttributeError) rather than pretending. Boards of other ports have
# no rp2 module at all.
import _mote_board as _board

if _board.PLATFORM != "rp2":
    raise ImportError("no module named 'rp2'")

import _mote_hw as _hw

_BOOTSEL = _board.BUTTONS.get("BOOTSEL")


def bootsel_button():
    # 1 while BOOTSEL is held down (its line reads low when pressed).
    if _BOOTSEL is None:
        return 0
    return 1 - _hw.pin_read(_BOOTSEL)
