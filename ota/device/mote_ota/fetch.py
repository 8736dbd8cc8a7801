# The block fetcher: a window of block requests in flight over MQTT, each
# answer streamed into a file on flash, resumed from the file's length after
# a power cut or a silence (ota/PROTOCOL.md, "Blocks").

import struct
import binascii
from mote_ota.flash import size as _size
from mote_ota.manifest import Rejected


def fetch(a, sha, size, path):
    done = _size(path)
    if done >= size:
        return
    sha_b = binascii.unhexlify(sha)
    tag = sha_b[:8]
    asked = done
    # Closing commits the data (littlefs, FAT, and the simulator alike): the file is
    # reopened every 8 blocks, so a power cut loses at most those and the rest resumes.
    f = open(path, 'ab')
    written = 0
    try:
        while done < size:
            if (asked - done) // a.bs <= a.win // 2:
                n = min(a.win - (asked - done) // a.bs, (size - asked + a.bs - 1) // a.bs)
                if n > 0:
                    a.c.publish(a.t['get'], b'\x01' + sha_b + struct.pack('!IHB', asked, a.bs, n))
                    asked = min(size, asked + n * a.bs)
            m = a.c.wait(a.timeout)
            if m is None:
                asked = done  # silence: ask again from the first missing byte
                continue
            topic, body = m
            if topic == a.t['desired']:
                a.pending = bytes(body)  # handled after this download step
                continue
            if len(body) < 14 or body[0] != 1 or bytes(body[2:10]) != tag:
                continue
            if body[1] != 0:
                raise Rejected('server has no file %s' % sha)
            off = struct.unpack('!I', body[10:14])[0]
            if off != done:
                if off > done:
                    asked = done
                continue
            f.write(body[14:])
            done += len(body) - 14
            written += 1
            if written % 8 == 0:
                f.close()
                f = open(path, 'ab')
                a.at('download.block')
            progress(a, len(body) - 14)
    finally:
        f.close()


def progress(a, n):
    a.got += n
    q = a.got * 4 // max(1, a.total)
    if q > a.q and q < 4:
        a.q = q
        a.report(a.seq, 'downloading', p=q * 25)
