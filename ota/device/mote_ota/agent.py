# The fleet OTA agent (ota/PROTOCOL.md). Flash layout:
#   /ota/config.json  id, host, port, user, password, prefix, key (hex), block, window, tags
#   /ota/state.json   {"seq", "app", "last"}   installed release and last outcome
#   /ota/slot         "a" or "b": the slot boot.py puts on sys.path (written to a temp name, then renamed)
#   /ota/trial.json   present while a new slot has not confirmed health; boot.py counts boots in it
#   /ota/stage/       manifest and partial files of the release being downloaded (the resume point)
#   /app/a, /app/b    the two app slots

import os
import gc
import sys
import json
import time
import hashlib
import binascii
import struct
from mote_ota.mqtt import MQTT
from mote_ota import ed25519

STAGE = '/ota/stage'


def _exists(p):
    try:
        os.stat(p)
        return True
    except OSError:
        return False


def _size(p):
    try:
        return os.stat(p)[6]
    except OSError:
        return 0


def _mkdirs(p):
    cur = ''
    for part in p.strip('/').split('/'):
        cur += '/' + part
        if not _exists(cur):
            os.mkdir(cur)


def _rmtree(p):
    if not _exists(p):
        return
    if os.stat(p)[0] & 0x4000:
        for n in os.listdir(p):
            _rmtree(p + '/' + n)
        os.rmdir(p)
    else:
        os.remove(p)


def _write_atomic(path, text):
    # littlefs renames atomically; FAT needs the old file removed first.
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    try:
        os.rename(tmp, path)
    except OSError:
        os.remove(path)
        os.rename(tmp, path)


def _load(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def _file_sha(path, buf):
    h = hashlib.sha256()
    mv = memoryview(buf)
    with open(path, 'rb') as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            h.update(mv[:n])
    return binascii.hexlify(h.digest()).decode()


def active_slot():
    try:
        with open('/ota/slot') as f:
            s = f.read().strip()
            return s if s in ('a', 'b') else 'a'
    except OSError:
        return 'a'


def _chunks(f):
    # iter(callable, sentinel) is not in MicroPython.
    while True:
        b = f.read(512)
        if not b:
            return
        yield b


class Rejected(Exception):
    pass


class Agent:
    def __init__(self, cfg):
        self.cfg = cfg
        self.id = cfg['id']
        self.key = binascii.unhexlify(cfg['key'])
        self.bs = cfg.get('block', 2048)
        self.win = cfg.get('window', 4)
        self.timeout = cfg.get('timeout_ms', 3000)
        p = cfg.get('prefix', 'mote/fleet') + '/dev/' + self.id + '/'
        # Bytes, as topics arrive from the socket.
        self.t = {k: (p + k).encode() for k in ('state', 'online', 'desired', 'status', 'get', 'blk')}
        self.st = _load('/ota/state.json', {'seq': 0, 'app': cfg.get('app', 'app')})
        self.buf = bytearray(512)
        self.c = None

    # ---- connection and reports
    def connect(self):
        c = MQTT(self.id, self.cfg['host'], self.cfg.get('port', 1883), self.cfg.get('user'), self.cfg.get('password'),
                 keepalive=60, will=(self.t['online'], b'0', True, 1))
        c.connect()
        self.c = c
        c.publish(self.t['online'], b'1', True, 1)
        self.publish_state()
        c.subscribe(self.t['desired'], 1)
        c.subscribe(self.t['blk'], 0)

    def publish_state(self):
        s = {'app': self.st['app'], 'seq': self.st['seq'], 'slot': active_slot(), 'port': sys.platform,
             'mpy': '%d.%d.%d' % sys.implementation.version[:3], 'mem': gc.mem_free(), 'flash': self._flash_free()}
        if self.cfg.get('tags'):
            s['tags'] = self.cfg['tags']
        if 'last' in self.st:
            s['last'] = self.st['last']
        self.c.publish(self.t['state'], json.dumps(s).encode(), True, 1)

    def _flash_free(self):
        try:
            v = os.statvfs('/')
            return v[0] * v[3]
        except (OSError, AttributeError):
            return 0

    def report(self, seq, st, p=None, why=None):
        m = {'seq': seq, 'st': st}
        if p is not None:
            m['p'] = p
        if why:
            m['why'] = why
        self.c.publish(self.t['status'], json.dumps(m).encode(), False, 1)

    def finish(self, seq, st, why=None):
        last = {'seq': seq, 'st': st}
        if why:
            last['why'] = why
        self.st['last'] = last
        _write_atomic('/ota/state.json', json.dumps(self.st))
        self.report(seq, st, why=why)
        self.publish_state()

    # ---- blocks: a window in flight, streamed to a file, resumed from its length
    def fetch(self, sha, size, path):
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
                if (asked - done) // self.bs <= self.win // 2:
                    n = min(self.win - (asked - done) // self.bs, (size - asked + self.bs - 1) // self.bs)
                    if n > 0:
                        self.c.publish(self.t['get'], b'\x01' + sha_b + struct.pack('!IHB', asked, self.bs, n))
                        asked = min(size, asked + n * self.bs)
                m = self.c.wait(self.timeout)
                if m is None:
                    asked = done  # silence: ask again from the first missing byte
                    continue
                topic, body = m
                if topic == self.t['desired']:
                    self.pending = bytes(body)  # handled after this download step
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
                self.progress(len(body) - 14)
        finally:
            f.close()

    def progress(self, n):
        self.got += n
        q = self.got * 4 // max(1, self.total)
        if q > self.q and q < 4:
            self.q = q
            self.report(self.seq, 'downloading', p=q * 25)

    # ---- a release
    def apply(self, d):
        seq = d['seq']
        if seq < self.st['seq']:
            raise Rejected('replay: release %d is older than installed %d' % (seq, self.st['seq']))
        job = _load(STAGE + '/job.json', None)
        if not job or job.get('h') != d['h']:
            _rmtree(STAGE)
            _mkdirs(STAGE)
            _write_atomic(STAGE + '/job.json', json.dumps(d))
        mpath = STAGE + '/manifest'
        self.seq, self.total, self.got, self.q = seq, 1, 0, 0
        self.fetch(d['h'], d['n'], mpath)
        if _file_sha(mpath, self.buf) != d['h']:
            _rmtree(STAGE)
            raise Rejected('manifest does not match its hash')
        with open(mpath, 'rb') as f:
            ok = ed25519.verify(self.key, binascii.a2b_base64(d['s'].encode()), _chunks(f))
        if not ok:
            _rmtree(STAGE)
            raise Rejected('bad signature on manifest')
        app, mseq, port, mpy, files = self.parse(mpath)
        if mseq != seq:
            raise Rejected('manifest seq %d differs from desired %d' % (mseq, seq))
        if mseq <= self.st['seq']:
            raise Rejected('replay: release %d is not newer than installed %d' % (mseq, self.st['seq']))
        if port != '*' and port != sys.platform:
            raise Rejected('incompatible: release is for port %s, device is %s' % (port, sys.platform))
        if mpy != '*':
            want = tuple(int(x) for x in mpy.split('.'))
            if tuple(sys.implementation.version[:2]) < want:
                raise Rejected('incompatible: release needs MicroPython %s' % mpy)
        # What the active slot already has, by SHA-256 (so renamed files are copied, not fetched).
        cur = '/app/' + active_slot()
        have = {}
        for path in self.walk(cur):
            have[_file_sha(cur + '/' + path, self.buf)] = path
        need = [(sha, size, path) for sha, size, path in files if sha not in have]
        self.total = sum(s for _, s, _ in need) or 1
        self.got = sum(min(_size(STAGE + '/' + sha), size) for sha, size, _ in need)
        self.q = self.got * 4 // self.total
        self.report(seq, 'downloading', p=self.got * 100 // self.total)
        for sha, size, path in need:
            part = STAGE + '/' + sha
            self.fetch(sha, size, part)
            if _file_sha(part, self.buf) != sha:
                _rmtree(STAGE)
                return self.finish(seq, 'failed', 'hash mismatch: %s does not match its SHA-256 in the manifest' % path)
        self.report(seq, 'verified')
        new = '/app/' + ('b' if active_slot() == 'a' else 'a')
        _rmtree(new)
        _mkdirs(new)
        for sha, size, path in files:
            d_ = new + '/' + path
            if '/' in path:
                _mkdirs(d_.rsplit('/', 1)[0])
            if sha in have:
                self.copy(cur + '/' + have[sha], d_)
            else:
                os.rename(STAGE + '/' + sha, d_)
        self.report(seq, 'staged')
        # The commit point: after this rename boot.py starts the new slot, on trial.
        _write_atomic('/ota/trial.json', json.dumps({'seq': seq, 'app': app, 'prev': active_slot(), 'boots': 0}))
        _write_atomic('/ota/slot', new[-1])
        _rmtree(STAGE)
        return 'reset'

    def parse(self, mpath):
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

    def walk(self, root, rel=''):
        out = []
        try:
            names = os.listdir(root + ('/' + rel if rel else ''))
        except OSError:
            return out
        for n in names:
            r = rel + '/' + n if rel else n
            if os.stat(root + '/' + r)[0] & 0x4000:
                out += self.walk(root, r)
            else:
                out.append(r)
        return out

    def copy(self, src, dst):
        with open(src, 'rb') as a, open(dst, 'wb') as b:
            while True:
                n = a.readinto(self.buf)
                if not n:
                    break
                b.write(memoryview(self.buf)[:n])

    # ---- trial: the new app must start without raising
    def trial(self):
        t = _load('/ota/trial.json', None)
        if not t:
            return None
        self.report(t['seq'], 'trial')
        slot = '/app/' + active_slot()
        try:
            ns = {'__name__': 'app_main'}
            with open(slot + '/main.py') as f:
                exec(f.read(), ns)
            health = ns.get('healthy')
            if health and not health():
                raise RuntimeError('healthy() returned False')
        except Exception as e:
            _write_atomic('/ota/slot', t['prev'])
            os.remove('/ota/trial.json')
            self.finish(t['seq'], 'rolled_back', 'main.py raised %s: %s' % (type(e).__name__, e))
            return 'reset'
        os.remove('/ota/trial.json')
        self.st['seq'] = t['seq']
        self.st['app'] = t['app']
        self.finish(t['seq'], 'succeeded')
        return None

    def on_desired(self, payload):
        if not payload:
            return None
        try:
            d = json.loads(bytes(payload))
        except ValueError:
            return None
        seq = d.get('seq', 0)
        last = self.st.get('last') or {}
        if seq == self.st['seq'] or last.get('seq') == seq:
            return None
        try:
            r = self.apply(d)
        except Rejected as e:
            return self.finish(seq, 'rejected', str(e))
        return r

    def step(self, timeout_ms):
        """Handles what arrived within timeout_ms. 'reset' when the board must reset now."""
        self.pending = None
        m = self.c.wait(timeout_ms)
        if m and m[0] == self.t['desired'] and self.on_desired(m[1]) == 'reset':
            return 'reset'
        if self.pending is not None and self.on_desired(self.pending) == 'reset':
            return 'reset'
        if time.ticks_diff(time.ticks_ms(), self.idle) > 30000:
            self.c.ping()  # umqtt-style: keeping the connection alive is the client's job
            self.idle = time.ticks_ms()
        return m

    def run(self, once=False):
        self.connect()
        self.idle = time.ticks_ms()
        if self.trial() == 'reset':
            return 'reset'
        while True:
            m = self.step(1000)
            if m == 'reset':
                return 'reset'
            if once and m is None:
                return None


_agent = None


def poll(timeout_ms=0):
    """For an app with its own loop: call it now and then so a release can
    arrive. It does not return when the board must reset into a new slot."""
    if _agent and _agent.step(timeout_ms) == 'reset':
        import machine
        machine.reset()


def main():
    global _agent
    cfg = _load('/ota/config.json', None)
    if not cfg:
        print('mote_ota: no /ota/config.json; provision this board first')
        return
    _agent = Agent(cfg)
    _agent.connect()
    _agent.idle = time.ticks_ms()
    if _agent.trial() == 'reset':
        import machine
        machine.reset()
    # The app proper. On trial it already ran (and passed) inside trial().
    elif _exists('/app/%s/main.py' % active_slot()):
        try:
            with open('/app/%s/main.py' % active_slot()) as f:
                exec(f.read(), {'__name__': '__main__'})
        except Exception as e:
            sys.print_exception(e)
    while True:
        poll(1000)
