# The fleet OTA agent (ota/PROTOCOL.md). Flash layout:
#   /ota/config.json  id, host, port, user, password, prefix, key (hex), block, window, tags,
#                     and on a board given its own key: auth "hmac", hmac (hex)
#   /ota/state.json   {"seq", "app", "last"}   installed release and last outcome
#   /ota/slot         "a" or "b": the slot boot.py puts on sys.path (written to a temp name, then renamed)
#   /ota/trial.json   present while a new slot has not confirmed health; boot.py counts boots in it
#   /ota/fallback.json written before going back to the previous slot (by boot.py or the agent), so the
#                     outcome is reported after the reset even if power is cut half way through it
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

STAGE = '/ota/stage'
TRIAL = '/ota/trial.json'
FALLBACK = '/ota/fallback.json'


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
    # The same rule as boot.py: on FAT a cut between the remove and the rename
    # of the pointer leaves only the temp file, which was complete by then.
    for p in ('/ota/slot', '/ota/slot.tmp'):
        try:
            with open(p) as f:
                s = f.read().strip()
            return s if s in ('a', 'b') else 'a'
        except OSError:
            pass
    return 'a'


def _random(n):
    # 0..n-1. `random` is on every port the agent targets; the clock is the fallback.
    try:
        import random
        return random.getrandbits(24) % n
    except (ImportError, AttributeError):
        return time.ticks_us() % n


def _remove(p):
    try:
        os.remove(p)
    except OSError:
        pass


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
        # A board with its own HMAC key checks releases with that alone (see authentic()).
        self.hkey = binascii.unhexlify(cfg['hmac']) if cfg.get('auth') == 'hmac' else None
        self.key = None if self.hkey else binascii.unhexlify(cfg['key'])
        self.bs = cfg.get('block', 2048)
        self.win = cfg.get('window', 4)
        self.timeout = cfg.get('timeout_ms', 3000)
        p = cfg.get('prefix', 'mote/fleet') + '/dev/' + self.id + '/'
        # Bytes, as topics arrive from the socket.
        self.t = {k: (p + k).encode() for k in ('state', 'online', 'desired', 'status', 'get', 'blk', 'trace')}
        self.st = _load('/ota/state.json', {'seq': 0, 'app': cfg.get('app', 'app')})
        self.buf = bytearray(512)
        self.c = None
        self.ran_app = False  # the app already ran inside the trial
        self.trying = None  # (trial, app namespace, start) while a new app is on trial
        self.later = None

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

    def at(self, step):
        """A named point of an update. For tests: with `trace` in the config the
        step is published on P/dev/<id>/trace, and with `halt` equal to it the
        agent stops right there, so a test can cut the power at that exact step."""
        if not self.cfg.get('trace') or not self.c:
            return
        self.c.publish(self.t['trace'], step.encode(), False, 1)
        if self.cfg.get('halt') == step:
            while True:
                time.sleep_ms(1000)

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
                    self.at('download.block')
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
            # A new release (a resumed one does not wait): a random start in 0..j ms,
            # so a wave of devices does not ask the block server in the same moment.
            j = d.get('j', 0)
            if isinstance(j, int) and 0 < j <= 600000:
                time.sleep_ms(_random(j))
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
            why = self.authentic(d, _chunks(f))
        if why:
            _rmtree(STAGE)
            raise Rejected(why)
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
        self.at('manifest')
        # Sources on the board, by SHA-256: the active slot (renamed files are copied,
        # not fetched), and files already in place in the inactive slot, left there
        # by an interrupted staging or by the release before (a rollback fetches nothing).
        cur = '/app/' + active_slot()
        new = '/app/' + ('b' if cur[-1] == 'a' else 'a')
        have = {}
        for path in self.walk(cur):
            have[_file_sha(cur + '/' + path, self.buf)] = cur + '/' + path
        want = {path: sha for sha, _, path in files}
        keep = {}
        for path in self.walk(new):
            sha = want.get(path)
            if sha and _file_sha(new + '/' + path, self.buf) == sha:
                keep[path] = sha
                have.setdefault(sha, new + '/' + path)
        need = []
        for sha, size, path in files:
            if sha not in have and all(sha != n[0] for n in need):
                need.append((sha, size, path))
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
            self.at('download.file')
        self.report(seq, 'verified')
        self.at('verified')
        self.stage(files, have, keep, new)
        self.report(seq, 'staged')
        self.at('staged')
        # The commit point is the pointer rename. trial.json goes first and names the
        # new slot, so a cut between the two is seen as "not switched yet".
        _write_atomic(TRIAL, json.dumps({'seq': seq, 'app': app, 'slot': new[-1], 'prev': cur[-1], 'boots': 0}))
        self.at('switch.trial')
        _write_atomic('/ota/slot', new[-1])
        self.at('switch.slot')
        _rmtree(STAGE)
        return 'reset'

    def authentic(self, d, chunks):
        """Why the manifest's bytes are not the fleet's, or None. Each check is imported
        only where it is used: a board given an HMAC key (an ESP8266, short of RAM)
        never loads the Ed25519 code, and its SHA-512 tables, at all."""
        if self.hkey:
            from mote_ota import hmac256
            m = d.get('m')
            if not isinstance(m, str):
                return 'no HMAC for this device'
            return None if hmac256.verify(self.hkey, m, chunks) else 'bad HMAC on manifest'
        from mote_ota import ed25519
        if ed25519.verify(self.key, binascii.a2b_base64(d['s'].encode()), chunks):
            return None
        return 'bad signature on manifest'

    def stage(self, files, have, keep, new):
        """Fills the inactive slot with exactly the manifest's files. Every step can be
        cut and redone: files already right stay, anything else there is replaced."""
        _mkdirs(new)
        for path in self.walk(new):
            if path not in keep:
                os.remove(new + '/' + path)
        placed = {}
        for sha, size, path in files:
            dst = new + '/' + path
            if path in keep:
                continue
            if '/' in path:
                _mkdirs(dst.rsplit('/', 1)[0])
            src = have.get(sha) or placed.get(sha)
            if src:
                self.copy(src, dst)
            else:
                os.rename(STAGE + '/' + sha, dst)
                placed[sha] = dst
            self.at('stage.file')

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

    # ---- after a reset: a trial to run, or a fallback to report
    def boot(self):
        """Finishes what a reset interrupted. 'reset' when the board must reset now."""
        fb = _load(FALLBACK, None)
        if fb:
            return self.fell_back(fb)
        t = _load(TRIAL, None)
        if not t:
            return None
        if active_slot() != t.get('slot'):
            # trial.json was written but the pointer was not: the switch never happened.
            # The retained desired message starts it again, with every file in place.
            _remove(TRIAL)
            return None
        return self.trial(t)

    def fell_back(self, fb):
        # boot.py or the agent went back to the previous slot. Redo whatever of that a
        # power cut left undone, then report it; the note goes last.
        if active_slot() != fb['prev']:
            _write_atomic('/ota/slot', fb['prev'])
        _remove(TRIAL)
        self.finish(fb['seq'], 'rolled_back', fb['why'])
        _remove(FALLBACK)
        return None

    def rollback(self, t, why):
        _write_atomic(FALLBACK, json.dumps({'seq': t['seq'], 'prev': t['prev'], 'why': why}))
        self.at('rollback.note')
        _write_atomic('/ota/slot', t['prev'])
        _remove(TRIAL)
        self.fell_back({'seq': t['seq'], 'prev': t['prev'], 'why': why})
        return 'reset'

    def trial(self, t):
        """The new app must start without raising and pass healthy(), if it defines one.
        An app with its own loop calls poll(): after `confirm_ms` of that, healthy()
        decides (no healthy() means running that long is health enough)."""
        self.report(t['seq'], 'trial')
        self.at('boot.trial')
        slot = '/app/' + active_slot()
        ns = {'__name__': 'app_main'}
        self.trying = (t, ns, time.ticks_ms())
        try:
            with open(slot + '/main.py') as f:
                exec(f.read(), ns)
        except Exception as e:
            if not self.trying:
                raise  # it crashed after it was confirmed: the app's own bug, not the release's
            self.trying = None
            return self.rollback(t, 'main.py raised %s: %s' % (type(e).__name__, e))
        return self.judge() if self.trying else None

    def judge(self):
        t, ns, _ = self.trying
        self.trying = None
        health = ns.get('healthy')
        try:
            ok = health() if health else True
        except Exception as e:
            return self.rollback(t, 'healthy() raised %s: %s' % (type(e).__name__, e))
        if not ok:
            return self.rollback(t, 'healthy() returned False')
        self.ran_app = True
        self.at('boot.ran')
        # state.json before trial.json goes: a cut in between only repeats the trial.
        self.st['seq'] = t['seq']
        self.st['app'] = t['app']
        self.st['last'] = {'seq': t['seq'], 'st': 'succeeded'}
        _write_atomic('/ota/state.json', json.dumps(self.st))
        self.at('boot.confirmed')
        _remove(TRIAL)
        _rmtree(STAGE)
        self.report(t['seq'], 'succeeded')
        self.publish_state()
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
        except OSError:
            raise  # the connection (main() reconnects and the retained desired resumes it)
        except Exception as e:
            # A bug or an odd message must not stop the agent silently: the service hears of it.
            return self.finish(seq, 'failed', 'agent error %s: %s' % (type(e).__name__, e))
        return r

    def step(self, timeout_ms):
        """Handles what arrived within timeout_ms. 'reset' when the board must reset now."""
        self.pending = None
        if self.trying:
            # A looping app on trial: judged once it has run for confirm_ms; releases wait till then.
            if time.ticks_diff(time.ticks_ms(), self.trying[2]) >= self.cfg.get('confirm_ms', 10000):
                return self.judge()
            m = self.c.wait(timeout_ms)
            if m and m[0] == self.t['desired']:
                self.later = bytes(m[1])  # a release that came during the trial waits for its verdict
            return m
        if self.later is not None:
            self.pending, self.later = self.later, None
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
        if self.boot() == 'reset':
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
        _reset()


def _reset():
    import machine
    machine.reset()


def join_wifi(cfg):
    """Joins the network named in the config, if any (a board whose boot.py or
    firmware already did leaves `ssid` out)."""
    if not cfg.get('ssid'):
        return
    import network
    w = network.WLAN(network.STA_IF)
    w.active(True)
    if not w.isconnected():
        w.connect(cfg['ssid'], cfg.get('wifi_password', ''))
        t = time.ticks_ms()
        while not w.isconnected() and time.ticks_diff(time.ticks_ms(), t) < 30000:
            time.sleep_ms(100)


def connect_retrying(a):
    # A broker that is down or restarting must not stop the board: retry with a
    # growing pause (at most 30 s), as the app keeps its old slot meanwhile.
    pause = 500
    while True:
        try:
            join_wifi(a.cfg)
            a.connect()
            a.idle = time.ticks_ms()
            return
        except OSError as e:
            a.c and a.c.close()
            a.c = None
            print('mote_ota: broker unreachable (%s); retrying in %d ms' % (e, pause))
            time.sleep_ms(pause)
            pause = min(pause * 2, 30000)


def main():
    global _agent
    cfg = _load('/ota/config.json', None)
    if not cfg:
        print('mote_ota: no /ota/config.json; provision this board first')
        return
    _agent = Agent(cfg)
    connect_retrying(_agent)
    if _agent.boot() == 'reset':
        _reset()
    # The app proper. On trial it already ran (and passed) inside boot().
    elif not _agent.ran_app and _exists('/app/%s/main.py' % active_slot()):
        try:
            with open('/app/%s/main.py' % active_slot()) as f:
                exec(f.read(), {'__name__': '__main__'})
        except Exception as e:
            sys.print_exception(e)
    while True:
        try:
            poll(1000)
        except OSError:
            _agent.c.close()
            connect_retrying(_agent)
