# HMAC-SHA256 (RFC 2104) for boards provisioned with a per-device key instead
# of the fleet's Ed25519 key. Built on hashlib alone, since MicroPython ports
# are not guaranteed an hmac module, and fed in chunks, since the manifest is
# read from flash rather than held in RAM.
import hashlib
import binascii

_BLOCK = 64  # SHA-256's block size in bytes


def digest(key, chunks):
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key + b'\x00' * (_BLOCK - len(key))
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    for c in chunks:
        inner.update(c)
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    outer.update(inner.digest())
    return outer.digest()


def equal(a, b):
    # Every byte is compared whatever the first difference, so the time taken
    # does not tell someone forging a tag how many of its bytes were right.
    if len(a) != len(b):
        return False
    d = 0
    for x, y in zip(a, b):
        d |= x ^ y
    return d == 0


def verify(key, tag_hex, chunks):
    """True when tag_hex (64 hex digits) is HMAC-SHA256(key, the chunks' bytes)."""
    try:
        tag = binascii.unhexlify(tag_hex)
    except (ValueError, TypeError):
        return False
    return equal(digest(key, chunks), tag)
