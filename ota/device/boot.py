# Never replaced over the air. Puts the active app slot on sys.path, and
# counts boots of a slot on trial: after 3 boots without the agent confirming
# health (a crash loop, a hang the watchdog reset), it goes back to the
# previous slot by itself.
import os
import sys
import json

try:
    with open('/ota/slot') as f:
        slot = f.read().strip()
except OSError:
    slot = 'a'
try:
    with open('/ota/trial.json') as f:
        t = json.load(f)
    t['boots'] = t.get('boots', 0) + 1
    if t['boots'] > 3:
        slot = t['prev']
        with open('/ota/slot.tmp', 'w') as f:
            f.write(slot)
        os.rename('/ota/slot.tmp', '/ota/slot')
        os.remove('/ota/trial.json')
    else:
        with open('/ota/trial.json', 'w') as f:
            json.dump(t, f)
except (OSError, ValueError):
    pass
sys.path.insert(0, '/app/' + slot)
