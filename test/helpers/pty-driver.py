#!/usr/bin/env python3
"""Drive a program through a real pseudo-terminal: keystrokes in, screen out.

Reads one JSON object on stdin:
  {"argv": [...], "env": {...}, "cwd": "...", "columns": 100, "rows": 30, "timeout": 20,
   "steps": [{"expect": "regex"}, {"send": "text"}, ...]}
`expect` waits (up to `timeout` seconds) for the regex to appear in the ANSI-stripped output written
after the previous match; `send` writes bytes to the terminal as if typed. Prints one JSON object:
  {"code": exit code (128+N for signal N), "output": raw bytes as text, "screen": ANSI-stripped text,
   "failed": null or the step that did not happen}
Used by test/helpers/pty.ts; python3's pty module is there on every machine our tests run on.
"""
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1bO.")


def strip(text):
    return ANSI.sub("", text).replace("\r", "")


def main():
    spec = json.load(sys.stdin)
    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", spec.get("rows", 30), spec.get("columns", 100), 0, 0))

    def make_controlling_tty():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        spec["argv"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=spec.get("env"),
        cwd=spec.get("cwd"),
        preexec_fn=make_controlling_tty,
        close_fds=True,
    )
    os.close(slave)
    timeout = spec.get("timeout", 20)
    raw = bytearray()
    consumed = 0  # index into the stripped screen after the last expect match
    failed = None

    def pump(wait):
        try:
            ready, _, _ = select.select([master], [], [], wait)
        except InterruptedError:
            return True
        if not ready:
            return True
        try:
            data = os.read(master, 65536)
        except OSError:
            return False  # EIO: the child closed the terminal
        if not data:
            return False
        raw.extend(data)
        return True

    alive = True
    for step in spec["steps"]:
        if "expect" in step:
            pattern = re.compile(step["expect"])
            deadline = time.monotonic() + step.get("timeout", timeout)
            while True:
                screen = strip(raw.decode("utf-8", "replace"))
                m = pattern.search(screen, consumed)
                if m:
                    consumed = m.end()
                    break
                if not alive or time.monotonic() > deadline:
                    failed = step
                    break
                alive = pump(0.05)
            if failed:
                break
        elif "send" in step:
            os.write(master, step["send"].encode("utf-8"))
    if failed:
        proc.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        pump(0.05)
    if proc.poll() is None:
        proc.kill()
        failed = failed or {"exit": "did not exit"}
    while pump(0.05) and len(raw) < 10_000_000:
        # drain what the child wrote before exiting
        if not select.select([master], [], [], 0)[0]:
            break
    code = proc.wait()
    if code < 0:
        code = 128 - code
    text = raw.decode("utf-8", "replace")
    json.dump({"code": code, "output": text, "screen": strip(text), "failed": failed}, sys.stdout)


main()
