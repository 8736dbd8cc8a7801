#!/usr/bin/env python3
"""A WebREPL file client that talks exactly as the official webrepl_cli.py
does on the wire, written here from the protocol (nothing downloaded):
raw socket, a hand-made handshake, UNMASKED client frames (strict servers
reject them; boards accept them), the 82-byte request sent as two frames
(10 + 72 bytes), file data in 1 KiB frames, text frames skipped while
waiting for binary replies, the password typed after "Password: ".

usage: cli_compat_client.py HOST PORT PASSWORD put LOCAL REMOTE
       cli_compat_client.py HOST PORT PASSWORD get REMOTE LOCAL
       cli_compat_client.py HOST PORT PASSWORD ver
"""
import base64
import os
import socket
import struct
import sys

REQ = "<2sBBQLH64s"


class Ws:
    def __init__(self, s):
        self.s = s
        self.buf = b""

    def write(self, data, opcode=0x82):
        n = len(data)
        hdr = struct.pack(">BB", opcode, n) if n < 126 else struct.pack(">BBH", opcode, 126, n)
        self.s.sendall(hdr + data)

    def exactly(self, n):
        out = b""
        while len(out) < n:
            d = self.s.recv(n - len(out))
            if not d:
                raise EOFError("connection closed")
            out += d
        return out

    def read(self, size, text_ok=False):
        while not self.buf:
            fl, sz = struct.unpack(">BB", self.exactly(2))
            if sz == 126:
                (sz,) = struct.unpack(">H", self.exactly(2))
            data = self.exactly(sz)
            if fl == 0x82 or (text_ok and fl == 0x81):
                self.buf = data
        d, self.buf = self.buf[:size], self.buf[size:]
        assert len(d) == size, (d, size)
        return d


def connect(host, port, password):
    s = socket.create_connection((host, port))
    key = base64.b64encode(os.urandom(16))
    s.sendall(b"GET / HTTP/1.1\r\nHost: " + host.encode() + b"\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: " + key + b"\r\n\r\n")
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        c = s.recv(1)
        if not c:
            raise EOFError("closed during the handshake")
        head += c
    assert head.startswith(b"HTTP/1.1 101"), head
    ws = Ws(s)
    msg = b""
    while not msg.endswith(b"Password: "):
        msg += ws.read(1, text_ok=True)
    ws.write(password.encode() + b"\r", opcode=0x81)
    return ws


def status(ws):
    sig, code = struct.unpack("<2sH", ws.read(4))
    assert sig == b"WB", sig
    return code


def main():
    host, port, password, op = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    ws = connect(host, port, password)
    if op == "ver":
        rec = struct.pack(REQ, b"WA", 3, 0, 0, 0, 0, b"")
        ws.write(rec)
        print("%d.%d.%d" % struct.unpack("<BBB", ws.read(3)))
    elif op == "put":
        local, remote = sys.argv[5], sys.argv[6].encode()
        data = open(local, "rb").read()
        rec = struct.pack(REQ, b"WA", 1, 0, 0, len(data), len(remote), remote)
        ws.write(rec[:10])
        ws.write(rec[10:])
        assert status(ws) == 0
        for i in range(0, len(data), 1024):
            ws.write(data[i:i + 1024])
        assert status(ws) == 0
        print("put", len(data))
    elif op == "get":
        remote, local = sys.argv[5].encode(), sys.argv[6]
        rec = struct.pack(REQ, b"WA", 2, 0, 0, 0, len(remote), remote)
        ws.write(rec)
        assert status(ws) == 0
        out = b""
        while True:
            ws.write(b"\0")
            (sz,) = struct.unpack("<H", ws.read(2))
            if sz == 0:
                break
            out += ws.read(sz)
        assert status(ws) == 0
        open(local, "wb").write(out)
        print("get", len(out))
    ws.s.close()


if __name__ == "__main__":
    main()
