# The manifest of a release (ota/PROTOCOL.md): its hash, that it is the
# fleet's (Ed25519 signature, or this device's own HMAC key), and that it
# fits this board and is newer than what is installed.

import sys
import binascii
from mote_ota.flash import file_sha, rmtree, chunks


class Rejected(Exception):
    pass


def authentic(a, d, parts):
    """Why the manifest's bytes are not the fleet's, or None. Each check is imported
    only where it is used: a board given an HMAC key (an ESP8266, short of RAM)
    never loads the Ed25519 code, and its SHA-512 tables, at all."""
    if a.hkey:
        from mote_ota import hmac256
        m = d.get('m')
        if not isinstance(m, str):
            return 'no HMAC for this device'
        return None if hmac256.verify(a.hkey, m, parts) else 'bad HMAC on manifest'
    from mote_ota import ed25519
    if ed25519.verify(a.key, binascii.a2b_base64(d['s'].encode()), parts):
        return None
    return 'bad signature on manifest'


def parse(mpath):
    files = []
    head = {}
    with open(mpath) as f:
        if f.readline() != 'MOTE-OTA/1\n':
            raise Rejected('not a MOTE-OTA/1 manifest')
        for line in f:
            k, _, v = line.rstrip('\n').partition(' ')
            if k == 'file':
                sha, size, path = v.split(' ')
                if '..' in path.split('/') or path.startswith('/'):
                    raise Rejected('unsafe path in manifest')
                files.append((sha, int(size), path))
            else:
                head[k] = v
    return head['app'], int(head['seq']), head['port'], head['mpy'], files


def check(a, d, mpath, stage):
    """(app, files) of the downloaded manifest at mpath, or Rejected with the reason."""
    seq = d['seq']
    if file_sha(mpath, a.buf) != d['h']:
        rmtree(stage)
        raise Rejected('manifest does not match its hash')
    with open(mpath, 'rb') as f:
        why = a.authentic(d, chunks(f))
    if why:
        rmtree(stage)
        raise Rejected(why)
    app, mseq, port, mpy, files = parse(mpath)
    if mseq != seq:
        raise Rejected('manifest seq %d differs from desired %d' % (mseq, seq))
    if mseq <= a.st['seq']:
        raise Rejected('replay: release %d is not newer than installed %d' % (mseq, a.st['seq']))
    if port != '*' and port != sys.platform:
        raise Rejected('incompatible: release is for port %s, device is %s' % (port, sys.platform))
    if mpy != '*':
        want = tuple(int(x) for x in mpy.split('.'))
        if tuple(sys.implementation.version[:2]) < want:
            raise Rejected('incompatible: release needs MicroPython %s' % mpy)
    return app, files
