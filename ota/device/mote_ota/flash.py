# Flash helpers of the OTA agent: files written so a power cut leaves either
# the old or the new content, JSON state, hashes, and the slot pointer.

import os
import json
import hashlib
import binascii


def exists(p):
    try:
        os.stat(p)
        return True
    except OSError:
        return False


def size(p):
    try:
        return os.stat(p)[6]
    except OSError:
        return 0


def mkdirs(p):
    cur = ''
    for part in p.strip('/').split('/'):
        cur += '/' + part
        if not exists(cur):
            os.mkdir(cur)


def rmtree(p):
    if not exists(p):
        return
    if os.stat(p)[0] & 0x4000:
        for n in os.listdir(p):
            rmtree(p + '/' + n)
        os.rmdir(p)
    else:
        os.remove(p)


def remove(p):
    try:
        os.remove(p)
    except OSError:
        pass


def write_atomic(path, text):
    # littlefs renames atomically; FAT needs the old file removed first.
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    try:
        os.rename(tmp, path)
    except OSError:
        os.remove(path)
        os.rename(tmp, path)


def load(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def file_sha(path, buf):
    h = hashlib.sha256()
    mv = memoryview(buf)
    with open(path, 'rb') as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            h.update(mv[:n])
    return binascii.hexlify(h.digest()).decode()


def chunks(f):
    # iter(callable, sentinel) is not in MicroPython.
    while True:
        b = f.read(512)
        if not b:
            return
        yield b


def walk(root, rel=''):
    out = []
    try:
        names = os.listdir(root + ('/' + rel if rel else ''))
    except OSError:
        return out
    for n in names:
        r = rel + '/' + n if rel else n
        if os.stat(root + '/' + r)[0] & 0x4000:
            out += walk(root, r)
        else:
            out.append(r)
    return out


def copy(src, dst, buf):
    with open(src, 'rb') as a, open(dst, 'wb') as b:
        while True:
            n = a.readinto(buf)
            if not n:
                break
            b.write(memoryview(buf)[:n])


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
