#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Drives the hypervisor console over a TCP serial port (QEMU's or Bochs'
socket server): logs every byte received and runs a script of steps, one per
line, read from the file given with -s:

    expect REGEX [SECONDS]   wait until a received line (CR and the erase
                             sequence removed) matches REGEX (Python re.search)
    send TEXT                send TEXT with C escapes (\\r, \\x01...), no newline
    line TEXT                send TEXT then CR
    random N SEED            send N pseudo-random bytes (never Ctrl-A)
    sleep SECONDS
    mark                     later expects only look at lines after this point

Exits 0 when every step passed, 1 with the failed step otherwise."""
import argparse
import codecs
import random
import re
import socket
import sys
import time

ERASE = re.compile(rb"\r|\x1b\[K")


class Serial:
    def __init__(self, port, log, connect_timeout):
        deadline = time.time() + connect_timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("console_driver: no connection to port %d" % port)
                time.sleep(0.1)
        self.sock.settimeout(0.1)
        self.log = open(log, "ab", buffering=0)
        self.buf = b""
        self.lines = []
        self.seen = 0

    def pump(self):
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return True
        except OSError:
            return False
        if not data:
            return False
        self.log.write(data)
        self.buf += data
        *done, self.buf = self.buf.split(b"\n")
        for raw in done:
            self.lines.append(ERASE.sub(b"", raw).decode("latin-1"))
        return True

    def expect(self, pattern, seconds):
        rx = re.compile(pattern)
        deadline = time.time() + seconds
        while True:
            partial = ERASE.sub(b"", self.buf).decode("latin-1")
            for i in range(self.seen, len(self.lines)):
                if rx.search(self.lines[i]):
                    self.seen = i + 1
                    return True
            if rx.search(partial):
                return True
            if time.time() > deadline or not self.pump():
                return False

    def send(self, data):
        self.sock.sendall(data)


def run(serial, steps):
    for n, step in enumerate(steps, 1):
        op, _, arg = step.partition(" ")
        if op == "expect":
            parts = arg.rsplit(" ", 1)
            secs = 20.0
            if len(parts) == 2 and re.fullmatch(r"[0-9.]+", parts[1]):
                arg, secs = parts[0], float(parts[1])
            if not serial.expect(arg, secs):
                return "step %d: no line matched /%s/ within %gs" % (n, arg, secs)
        elif op in ("send", "line"):
            data = codecs.decode(arg, "unicode_escape").encode("latin-1")
            serial.send(data + (b"\r" if op == "line" else b""))
        elif op == "random":
            count, seed = arg.split()
            rng = random.Random(int(seed))
            data = bytes(b for b in (rng.randrange(256) for _ in range(int(count))) if b != 1)
            for i in range(0, len(data), 256):
                serial.send(data[i:i + 256])
                serial.pump()
        elif op == "sleep":
            end = time.time() + float(arg)
            while time.time() < end:
                serial.pump()
        elif op == "mark":
            serial.pump()
            serial.seen = len(serial.lines)
        elif op and not op.startswith("#"):
            return "step %d: unknown step %r" % (n, op)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-p", "--port", type=int, required=True)
    ap.add_argument("-l", "--log", required=True)
    ap.add_argument("-s", "--script", required=True)
    ap.add_argument("-c", "--connect-timeout", type=float, default=30)
    a = ap.parse_args()
    with open(a.script) as f:
        steps = [s.rstrip("\n") for s in f if s.strip()]
    serial = Serial(a.port, a.log, a.connect_timeout)
    err = run(serial, steps)
    end = time.time() + 0.5
    while time.time() < end and serial.pump():
        pass
    if err:
        print("console_driver: " + err, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
