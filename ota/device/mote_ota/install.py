# Installing a verified release into the inactive slot: what must be
# fetched, filling the slot, and the switch (ota/device/README.md, "Power
# cuts"). Every step can be cut and redone.

import os
import json
from mote_ota.flash import active_slot, copy, file_sha, mkdirs, walk, write_atomic

STAGE = '/ota/stage'
TRIAL = '/ota/trial.json'


def plan(files, buf):
    """(cur, new, have, keep, need) for the manifest's files. Sources on the board,
    by SHA-256: the active slot (renamed files are copied, not fetched), and files
    already in place in the inactive slot, left there by an interrupted staging or
    by the release before (a rollback fetches nothing)."""
    cur = '/app/' + active_slot()
    new = '/app/' + ('b' if cur[-1] == 'a' else 'a')
    have = {}
    for path in walk(cur):
        have[file_sha(cur + '/' + path, buf)] = cur + '/' + path
    want = {path: sha for sha, _, path in files}
    keep = {}
    for path in walk(new):
        sha = want.get(path)
        if sha and file_sha(new + '/' + path, buf) == sha:
            keep[path] = sha
            have.setdefault(sha, new + '/' + path)
    need = []
    for sha, size, path in files:
        if sha not in have and all(sha != n[0] for n in need):
            need.append((sha, size, path))
    return cur, new, have, keep, need


def stage(a, files, have, keep, new):
    """Fills the inactive slot with exactly the manifest's files. Every step can be
    cut and redone: files already right stay, anything else there is replaced."""
    mkdirs(new)
    for path in walk(new):
        if path not in keep:
            os.remove(new + '/' + path)
    placed = {}
    for sha, size, path in files:
        dst = new + '/' + path
        if path in keep:
            continue
        if '/' in path:
            mkdirs(dst.rsplit('/', 1)[0])
        src = have.get(sha) or placed.get(sha)
        if src:
            copy(src, dst, a.buf)
        else:
            os.rename(STAGE + '/' + sha, dst)
            placed[sha] = dst
        a.at('stage.file')


def switch(a, seq, app, cur, new):
    # The commit point is the pointer rename. trial.json goes first and names the
    # new slot, so a cut between the two is seen as "not switched yet".
    write_atomic(TRIAL, json.dumps({'seq': seq, 'app': app, 'slot': new[-1], 'prev': cur[-1], 'boots': 0}))
    a.at('switch.trial')
    write_atomic('/ota/slot', new[-1])
    a.at('switch.slot')
