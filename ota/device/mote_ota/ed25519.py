# Ed25519 signature verification (RFC 8032) in pure Python for MicroPython.
# MicroPython's hashlib has no SHA-512, so it is here too (FIPS 180-4).
# Verification runs once per release, on the manifest only: every file is
# then checked by SHA-256 (hashlib, in C). Cost: see ota/device/README.md.

_M64 = 0xFFFFFFFFFFFFFFFF

# Round constants and initial hash: first 64 bits of the fractional parts of
# the cube roots of the first 80 primes, and square roots of the first 8.
_K = (
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
)
_H0 = (0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179)


def _rotr(x, n):
    return ((x >> n) | (x << (64 - n))) & _M64


class sha512:
    def __init__(self, data=b''):
        self._h = list(_H0)
        self._buf = b''
        self._len = 0
        if data:
            self.update(data)

    def update(self, data):
        self._len += len(data)
        buf = self._buf + bytes(data)
        i = 0
        while i + 128 <= len(buf):
            self._block(buf[i:i + 128])
            i += 128
        self._buf = buf[i:]

    def _block(self, b):
        w = [int.from_bytes(b[i:i + 8], 'big') for i in range(0, 128, 8)]
        for t in range(16, 80):
            x, y = w[t - 15], w[t - 2]
            s0 = _rotr(x, 1) ^ _rotr(x, 8) ^ (x >> 7)
            s1 = _rotr(y, 19) ^ _rotr(y, 61) ^ (y >> 6)
            w.append((w[t - 16] + s0 + w[t - 7] + s1) & _M64)
        a, b_, c, d, e, f, g, h = self._h
        for t in range(80):
            t1 = (h + (_rotr(e, 14) ^ _rotr(e, 18) ^ _rotr(e, 41)) + ((e & f) ^ (~e & g)) + _K[t] + w[t]) & _M64
            t2 = ((_rotr(a, 28) ^ _rotr(a, 34) ^ _rotr(a, 39)) + ((a & b_) ^ (a & c) ^ (b_ & c))) & _M64
            h, g, f, e, d, c, b_, a = g, f, e, (d + t1) & _M64, c, b_, a, (t1 + t2) & _M64
        hh = self._h
        for i, v in enumerate((a, b_, c, d, e, f, g, h)):
            hh[i] = (hh[i] + v) & _M64

    def digest(self):
        n = self._len
        tail = self._buf + b'\x80' + b'\x00' * ((111 - n) % 128) + (n * 8).to_bytes(16, 'big')
        h = list(self._h)
        saved = self._h
        self._h = h
        for i in range(0, len(tail), 128):
            self._block(tail[i:i + 128])
        self._h = saved
        return b''.join(x.to_bytes(8, 'big') for x in h)


_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493


def _pow(b, e):
    # Square-and-multiply mod p: pow() with three arguments is not on every port.
    r = 1
    b %= _P
    while e:
        if e & 1:
            r = r * b % _P
        b = b * b % _P
        e >>= 1
    return r


def _inv(x):
    return _pow(x, _P - 2)


_D = -121665 * _inv(121666) % _P
_D2 = 2 * _D % _P
_SQRT_M1 = _pow(2, (_P - 1) // 4)


def _add(p, q):
    # Extended twisted Edwards coordinates (X, Y, Z, T), a = -1; also doubles.
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = t1 * _D2 * t2 % _P
    d = 2 * z1 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(k, p):
    q = (0, 1, 1, 0)
    while k:
        if k & 1:
            q = _add(q, p)
        p = _add(p, p)
        k >>= 1
    return q


def _decode(s):
    # A point from its 32-byte encoding, or None when it is not on the curve.
    if len(s) != 32:
        return None
    y = int.from_bytes(s, 'little')
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= _P:
        return None
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x = u * _pow(v, 3) * _pow(u * _pow(v, 7), (_P - 5) // 8) % _P
    vx2 = v * x * x % _P
    if vx2 != u:
        if vx2 != (-u) % _P:
            return None
        x = x * _SQRT_M1 % _P
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _P - x
    return (x, y, 1, x * y % _P)


def _same(p, q):
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


_B = _decode((4 * _inv(5) % _P).to_bytes(32, 'little'))


def verify(public_key, signature, chunks):
    """True when `signature` (64 bytes) is valid for the message given as an
    iterable of byte chunks (so a manifest can be streamed from flash)."""
    if len(signature) != 64 or len(public_key) != 32:
        return False
    a = _decode(public_key)
    r = _decode(signature[:32])
    s = int.from_bytes(signature[32:], 'little')
    if a is None or r is None or s >= _L:
        return False
    h = sha512(signature[:32])
    h.update(public_key)
    for c in chunks:
        h.update(c)
    k = int.from_bytes(h.digest(), 'little') % _L
    return _same(_mul(s, _B), _add(r, _mul(k, a)))
