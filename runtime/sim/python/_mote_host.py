# Calls a host service (runtime/sim/node/host-service-list.ts) from Python on
# the simulated board. Blocks until the host answers; Ctrl-C stops the wait.
import json
import binascii
import _mote_hw as _hw


class HostError(OSError):
    pass


def call(service, request=None, data=None, timeout_ms=10000):
    """Returns (value, bytes). Raises HostError('timeout'), HostError(message)
    or, after Ctrl-C, KeyboardInterrupt."""
    hx = binascii.hexlify(data).decode() if data else ""
    r = json.loads(_hw.host_call(service, json.dumps(request), hx, int(timeout_ms)))
    if r["ok"]:
        return r["value"], binascii.unhexlify(r["hex"]) if r["hex"] else b""
    if r["error"] == "interrupted":
        # The KeyboardInterrupt is scheduled; let the VM raise it right here.
        _hw.sleep_ms(0)
        for _ in range(2):
            pass
    raise HostError(r["error"])
