# The fleet OTA agent (ota/PROTOCOL.md): the connection to the broker, the
# reports, and the order of an update's steps, each done by its own module:
#   manifest.py  hash, signature or HMAC, and fit of a release's manifest
#   fetch.py     the block fetcher (a window of requests, resumable files)
#   install.py   what to fetch, filling the inactive slot, the switch
#   trial.py     after a reset: the new slot's trial, rollback, fallback reports
#   flash.py     atomic writes, JSON state, hashes, the slot pointer
# Flash layout:
#   /ota/config.json  id, host, port, user, password, prefix, key (hex), block, window, tags,
#                     and on a board given its own key: auth "hmac", hmac (hex);
#                     "tls": true when the broker is reached over TLS (mqtts)
#   /ota/ca.der       with tls: the broker's CA certificate (DER), read only while connecting
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
import binascii
from mote_ota.mqtt import MQTT
from mote_ota.flash import active_slot, exists, file_sha, load, mkdirs, rmtree, size, write_atomic
from mote_ota.manifest import Rejected
from mote_ota import manifest as _manifest
from mote_ota import fetch as _fetch
from mote_ota import install as _install
from mote_ota import trial as _trial

STAGE = _install.STAGE
CA = '/ota/ca.der'


def _random(n):
    # 0..n-1. `random` is on every port the agent targets; the clock is the fallback.
    try:
        import random
        return random.getrandbits(24) % n
    except (ImportError, AttributeError):
        return time.ticks_us() % n


def _ca(cfg):
    # Read for each connect and dropped after it: the certificate is not kept in RAM.
    if not cfg.get('tls'):
        return None
    try:
        with open(CA, 'rb') as f:
            return f.read()
    except OSError:
        raise OSError('tls is on but %s is missing; provision the board with the CA' % CA)


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
        self.st = load('/ota/state.json', {'seq': 0, 'app': cfg.get('app', 'app')})
        self.buf = bytearray(512)
        self.c = None
        self.ran_app = False  # the app already ran inside the trial
        self.trying = None  # (trial, app namespace, start) while a new app is on trial
        self.later = None

    # ---- connection and reports
    def connect(self):
        c = MQTT(self.id, self.cfg['host'], self.cfg.get('port', 1883), self.cfg.get('user'), self.cfg.get('password'),
                 keepalive=60, will=(self.t['online'], b'0', True, 1), ca=_ca(self.cfg))
        # Set before connecting, so a failed attempt's socket is closed by the retry.
        self.c = c
        c.connect()
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
        write_atomic('/ota/state.json', json.dumps(self.st))
        self.report(seq, st, why=why)
        self.publish_state()

    # ---- a release
    def apply(self, d):
        seq = d['seq']
        if seq < self.st['seq']:
            raise Rejected('replay: release %d is older than installed %d' % (seq, self.st['seq']))
        job = load(STAGE + '/job.json', None)
        if not job or job.get('h') != d['h']:
            # A new release (a resumed one does not wait): a random start in 0..j ms,
            # so a wave of devices does not ask the block server in the same moment.
            j = d.get('j', 0)
            if isinstance(j, int) and 0 < j <= 600000:
                time.sleep_ms(_random(j))
            rmtree(STAGE)
            mkdirs(STAGE)
            write_atomic(STAGE + '/job.json', json.dumps(d))
        mpath = STAGE + '/manifest'
        self.seq, self.total, self.got, self.q = seq, 1, 0, 0
        _fetch.fetch(self, d['h'], d['n'], mpath)
        app, files = _manifest.check(self, d, mpath, STAGE)
        self.at('manifest')
        cur, new, have, keep, need = _install.plan(files, self.buf)
        self.total = sum(s for _, s, _ in need) or 1
        self.got = sum(min(size(STAGE + '/' + sha), n) for sha, n, _ in need)
        self.q = self.got * 4 // self.total
        self.report(seq, 'downloading', p=self.got * 100 // self.total)
        for sha, n, path in need:
            part = STAGE + '/' + sha
            _fetch.fetch(self, sha, n, part)
            if file_sha(part, self.buf) != sha:
                rmtree(STAGE)
                return self.finish(seq, 'failed', 'hash mismatch: %s does not match its SHA-256 in the manifest' % path)
            self.at('download.file')
        self.report(seq, 'verified')
        self.at('verified')
        _install.stage(self, files, have, keep, new)
        self.report(seq, 'staged')
        self.at('staged')
        _install.switch(self, seq, app, cur, new)
        rmtree(STAGE)
        return 'reset'

    def authentic(self, d, chunks):
        """Why the manifest's bytes are not the fleet's, or None (manifest.authentic)."""
        return _manifest.authentic(self, d, chunks)

    def boot(self):
        """Finishes what a reset interrupted. 'reset' when the board must reset now."""
        return _trial.boot(self)

    def judge(self):
        return _trial.judge(self)

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
        except (OSError, ValueError) as e:
            a.c and a.c.close()
            a.c = None
            # MicroPython's mbedTLS raises ValueError for a broker certificate that does not verify.
            what = 'TLS to the broker failed' if isinstance(e, ValueError) else 'broker unreachable'
            print('mote_ota: %s (%s); retrying in %d ms' % (what, str(e).strip(), pause))
            time.sleep_ms(pause)
            pause = min(pause * 2, 30000)


def main():
    global _agent
    cfg = load('/ota/config.json', None)
    if not cfg:
        print('mote_ota: no /ota/config.json; provision this board first')
        return
    _agent = Agent(cfg)
    connect_retrying(_agent)
    if _agent.boot() == 'reset':
        _reset()
    # The app proper. On trial it already ran (and passed) inside boot().
    elif not _agent.ran_app and exists('/app/%s/main.py' % active_slot()):
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
