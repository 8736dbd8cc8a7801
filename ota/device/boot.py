# Never replaced over the air. Puts the active app slot on sys.path, and
# counts boots of a slot on trial: after 3 boots without the agent confirming
# health (a crash loop, a hang the watchdog reset), it goes back to the
# previous slot by itself. It leaves /ota/fallback.json for the agent to
# report; that note is written first, so a power cut half way is redone.
import os
import sys
import json


def _read(p):
    try:
        with open(p) as f:
            return f.read().strip()
    except OSError:
        return None


def _put(p, text):
    with open(p + '.tmp', 'w') as f:
        f.write(text)
    try:
        os.rename(p + '.tmp', p)
    except OSError:
        os.remove(p)  # FAT: no rename onto an existing file
        os.rename(p + '.tmp', p)


# On FAT a cut between remove and rename leaves only the complete temp file.
slot = _read('/ota/slot') or _read('/ota/slot.tmp') or 'a'
try:
    t = json.loads(_read('/ota/trial.json'))
    t['boots'] = t.get('boots', 0) + 1
    if t['boots'] > 3 and t.get('slot', slot) == slot:
        why = 'boot.py went back to slot %s after %d boots of slot %s without a health confirmation' % (t['prev'], t['boots'] - 1, slot)
        _put('/ota/fallback.json', json.dumps({'seq': t['seq'], 'prev': t['prev'], 'why': why}))
        slot = t['prev']
        _put('/ota/slot', slot)
        os.remove('/ota/trial.json')
    else:
        _put('/ota/trial.json', json.dumps(t))
except (OSError, ValueError, TypeError, KeyError):
    pass
sys.path.insert(0, '/app/' + slot)
