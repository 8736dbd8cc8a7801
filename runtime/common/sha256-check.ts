// SHA-256 on both ends of a transfer. The host uses WebCrypto (present in
// Node and browsers, so this stays in common/); the board uses hashlib,
// reading the file in small slices so a large file never sits in its RAM.

/** Lower-case hex SHA-256 of `data`. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  // WebCrypto refuses views of a SharedArrayBuffer; a copy is cheap next to the line.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(data));
  return Buffer.from(digest).toString('hex');
}

/**
 * Defines `_mote_sha(path)` on the board: hex SHA-256 of a file, or '-' when
 * the firmware has no hashlib.sha256 (then callers compare sizes only).
 * One 512-byte buffer is reused for every slice, to keep the heap still.
 * Hex is formatted by hand (32 bytes), so binascii is not needed.
 */
export const BOARD_SHA256_PY = `def _mote_sha(p):
    try:
        import hashlib
        h = hashlib.sha256()
    except (ImportError, AttributeError):
        return '-'
    b = bytearray(512)
    m = memoryview(b)
    with open(p, 'rb') as f:
        while True:
            n = f.readinto(b)
            if not n:
                break
            h.update(m[:n])
    return ''.join('%02x' % c for c in h.digest())
`;

/** True when the board's answer from `_mote_sha` confirms `hostHex`; '-' means "cannot hash". */
export function boardHashMatches(boardHex: string, hostHex: string): boolean {
  return boardHex === '-' || boardHex === hostHex;
}
