# After a reset: the new slot's trial (its main.py must start and pass
# healthy()), the agent's own fallback to the previous slot, and reporting a
# fallback boot.py made (ota/device/README.md, "Trial and rollback").

import json
import time
from mote_ota.flash import active_slot, load, remove, rmtree, write_atomic
from mote_ota.install import STAGE, TRIAL

FALLBACK = '/ota/fallback.json'


def boot(a):
    """Finishes what a reset interrupted. 'reset' when the board must reset now."""
    fb = load(FALLBACK, None)
    if fb:
        return fell_back(a, fb)
    t = load(TRIAL, None)
    if not t:
        return None
    if active_slot() != t.get('slot'):
        # trial.json was written but the pointer was not: the switch never happened.
        # The retained desired message starts it again, with every file in place.
        remove(TRIAL)
        return None
    return trial(a, t)


def fell_back(a, fb):
    # boot.py or the agent went back to the previous slot. Redo whatever of that a
    # power cut left undone, then report it; the note goes last.
    if active_slot() != fb['prev']:
        write_atomic('/ota/slot', fb['prev'])
    remove(TRIAL)
    a.finish(fb['seq'], 'rolled_back', fb['why'])
    remove(FALLBACK)
    return None


def rollback(a, t, why):
    write_atomic(FALLBACK, json.dumps({'seq': t['seq'], 'prev': t['prev'], 'why': why}))
    a.at('rollback.note')
    write_atomic('/ota/slot', t['prev'])
    remove(TRIAL)
    fell_back(a, {'seq': t['seq'], 'prev': t['prev'], 'why': why})
    return 'reset'


def trial(a, t):
    """The new app must start without raising and pass healthy(), if it defines one.
    An app with its own loop calls poll(): after `confirm_ms` of that, healthy()
    decides (no healthy() means running that long is health enough)."""
    a.report(t['seq'], 'trial')
    a.at('boot.trial')
    slot = '/app/' + active_slot()
    ns = {'__name__': 'app_main'}
    a.trying = (t, ns, time.ticks_ms())
    try:
        with open(slot + '/main.py') as f:
            exec(f.read(), ns)
    except Exception as e:
        if not a.trying:
            raise  # it crashed after it was confirmed: the app's own bug, not the release's
        a.trying = None
        return rollback(a, t, 'main.py raised %s: %s' % (type(e).__name__, e))
    return judge(a) if a.trying else None


def judge(a):
    t, ns, _ = a.trying
    a.trying = None
    health = ns.get('healthy')
    try:
        ok = health() if health else True
    except Exception as e:
        return rollback(a, t, 'healthy() raised %s: %s' % (type(e).__name__, e))
    if not ok:
        return rollback(a, t, 'healthy() returned False')
    a.ran_app = True
    a.at('boot.ran')
    # state.json before trial.json goes: a cut in between only repeats the trial.
    a.st['seq'] = t['seq']
    a.st['app'] = t['app']
    a.st['last'] = {'seq': t['seq'], 'st': 'succeeded'}
    write_atomic('/ota/state.json', json.dumps(a.st))
    a.at('boot.confirmed')
    remove(TRIAL)
    rmtree(STAGE)
    a.report(t['seq'], 'succeeded')
    a.publish_state()
    return None
