"""A tiny wire-protocol-v1 driver, as an adapter: the spec calls these functions, they ask a program.

Until the harness's own client (``--impl cmd:COMMAND``, nnspec/wire/) is merged, this file lets the
starters of examples/starters/ be judged by the whole specification: ``--impl
tests/conformance/wire_driver.py`` with ``$STARTER_COMMAND`` the program to run (split with shlex).
It is a test helper, not the harness: no time limits, no restarts; a crash ends the run.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import shlex
import subprocess

import numpy as np

from reference_nn.adapter import PROTOCOL

_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def to_wire(value):
    """numpy / Python values -> wire values (float64 arrays as {"shape", "data"}, non-finite as strings)."""
    if isinstance(value, np.ndarray):
        data = [x if math.isfinite(x) else ("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))
                for x in value.astype(np.float64).ravel().tolist()]
        return {"shape": list(value.shape), "data": data}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, np.floating):
        return float(value)
    return value


def from_wire(value):
    if isinstance(value, dict):
        if set(value) == {"shape", "data"}:
            data = [_NONFINITE[x] if isinstance(x, str) else x for x in value["data"]]
            return np.array(data, dtype=np.float64).reshape(value["shape"])
        return {k: from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v) for v in value]
    return value


class Program:
    """One running implementation: start, then one call line and one answer line at a time."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        self.seq = 0
        self.hello = self._send({"cmd": "start", "version": 1})

    def _send(self, message):
        self.proc.stdin.write(json.dumps(message, allow_nan=False) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the program exited (code {self.proc.wait()})")
        return json.loads(line)

    def call(self, fn, args, kwargs=None):
        self.seq += 1
        answer = self._send({"cmd": "call", "seq": self.seq, "fn": fn, "args": to_wire(list(args)),
                             "kwargs": to_wire(kwargs or {})})
        assert answer.get("seq") == self.seq, f"answer to the wrong call: {answer}"
        if answer.get("not_implemented"):
            raise NotImplementedError(fn)
        if answer.get("errored"):
            raise RuntimeError(answer.get("message", ""))
        return from_wire(answer["result"])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.write('{"cmd": "stop"}\n')
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        self.proc.stdout.close()


_program = Program(shlex.split(os.environ["STARTER_COMMAND"])) if "STARTER_COMMAND" in os.environ else None
if _program:
    atexit.register(_program.stop)
NAME = _program.hello["implementation"]["name"] if _program else "wire_driver"
VERSION = _program.hello["implementation"]["version"] if _program else "0"


def _make(fn):
    def call(*args, **kwargs):
        result = _program.call(fn, args, kwargs)
        if fn == "dense_backward":
            return tuple(result)
        if fn == "loss":
            return float(result) if isinstance(result, float) else result
        return result

    call.__name__ = fn
    return call


globals().update({fn: _make(fn) for fn in PROTOCOL})
