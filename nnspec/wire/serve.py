"""The Python server of wire protocol v1: ``python -m nnspec.wire.serve SPEC``.

SPEC is an adapter (a ``.py`` file or a dotted module, loaded as ``--impl`` loads one in process) or
``tutorial:NNN=FILE`` (a learner's program of tutorial NNN's shape, wrapped by :mod:`nnspec.shapes`). It is
what the harness starts, in the box, for every Python implementation. It loads SPEC when it gets
``start`` (a failure to load is ``{"ready": false, "message": ...}``), then answers each ``call``:

- a protocol function the adapter lacks, or one raising ``NotImplementedError``: ``not_implemented``
  (with the exception's text as ``message``);
- an exception: ``errored`` with ``exception`` (its type's name) and ``message``;
- otherwise ``result``, with two optional fields: ``modified`` (the inputs the call changed in place,
  found as nnspec.boundary finds them in process) and ``warnings`` (every warning the call raised, in
  order: the harness raises them again inside the test, so warnings-as-errors holds over the wire too,
  and names the function they came from).

Whatever the code under test prints goes to stderr (file descriptor 1 is pointed at 2 before it is
loaded): only this module writes to the protocol's stdout.
"""

from __future__ import annotations

import os
import sys
import warnings

from nnspec.wire import protocol

MESSAGE_LIMIT = 4000  # characters of an exception's message sent back
WARNINGS_LIMIT = 20  # warnings reported per call


def load(spec: str):
    """The adapter named by ``spec`` (see the module docs)."""
    if spec.startswith("tutorial:"):
        from nnspec import shapes

        chapter, _, path = spec.removeprefix("tutorial:").partition("=")
        return shapes.adapter(chapter, path)
    from nnspec.impl import load_adapter

    return load_adapter(spec)


def _text(value) -> object:
    """NAME/VERSION as the adapter has them when JSON can hold them (rule R01 judges them: a tuple stays an
    array, never its repr, which would pass for a string), else repr."""
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    return value if value is None or isinstance(value, str | int | float | bool) else repr(value)


def identity(adapter, spec: str) -> dict:
    from reference_nn.adapter import PROTOCOL

    out = {
        "name": _text(getattr(adapter, "NAME", None)),
        "version": _text(getattr(adapter, "VERSION", None)),
        "language": "python",
        "functions": [name for name in PROTOCOL if callable(getattr(adapter, name, None))],
    }
    if spec.startswith("tutorial:"):  # what loading a learner's program found (nnspec.shapes)
        out["notes"] = [str(n)[:MESSAGE_LIMIT] for n in adapter.tutorial_notes()[:WARNINGS_LIMIT]]
        out["data"] = protocol.encode(adapter.tutorial_data())
    return out


def _described(exc: BaseException) -> str:
    return str(exc)[:MESSAGE_LIMIT]


class Server:
    def __init__(self, spec: str, out):
        self.spec, self.out, self.adapter = spec, out, None

    def send(self, message: dict) -> None:
        self.out.write(protocol.dumps(message))
        self.out.flush()

    def start(self, message: dict) -> bool:
        try:
            self.adapter = load(self.spec)
        except BaseException as exc:  # an import may raise anything, SystemExit included
            text = f"{type(exc).__name__}: {' '.join(str(exc).split()) or '(no message)'}"
            self.send({"ready": False, "version": protocol.VERSION, "message": text[:MESSAGE_LIMIT]})
            return False
        self.send({"ready": True, "version": protocol.VERSION, "implementation": identity(self.adapter, self.spec)})
        return True

    def call(self, message: dict) -> None:
        from nnspec.boundary import watched_call
        from reference_nn.adapter import PROTOCOL

        seq, name = message.get("seq"), message.get("fn")
        function = getattr(self.adapter, name, None) if name in PROTOCOL else None
        if not callable(function):
            self.send({"seq": seq, "not_implemented": True})
            return
        args = protocol.decode(message.get("args", []))
        kwargs = protocol.decode(message.get("kwargs", {}))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result, modified = watched_call(name, function, tuple(args), kwargs)
                answer = {"seq": seq, "result": protocol.encode(result)}
                if modified:
                    answer["modified"] = modified
            except NotImplementedError as exc:
                answer = {"seq": seq, "not_implemented": True}
                if str(exc):
                    answer["message"] = _described(exc)
            except BaseException as exc:  # the code under test may raise anything: it is its answer
                answer = {"seq": seq, "errored": True, "exception": type(exc).__name__, "message": _described(exc)}
        if caught:
            answer["warnings"] = [
                {"category": w.category.__name__, "message": str(w.message)[:MESSAGE_LIMIT]}
                for w in caught[:WARNINGS_LIMIT]
            ]
        try:
            self.send(answer)
        except (ValueError, TypeError, RecursionError) as exc:  # a result JSON cannot hold
            self.send({"seq": seq, "errored": True, "exception": type(exc).__name__, "message": _described(exc)})

    def serve(self, lines) -> int:
        for line in lines:
            if not line.strip():
                continue
            message = protocol.loads(line)
            command = message.get("cmd")
            if command == "start":
                if not self.start(message):
                    return 3
            elif command == "call":
                self.call(message)
            elif command == "stop":
                return 0
            else:
                print(f"nnspec.wire.serve: unknown command {protocol.shown(command)}", file=sys.stderr)
        return 0


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m nnspec.wire.serve ADAPTER.py | dotted.module | tutorial:NNN=FILE", file=sys.stderr)
        return 2
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the code under test prints, even from C, goes to stderr
    sys.stdout = sys.stderr
    lines = (raw.decode("utf-8", errors="replace") for raw in sys.stdin.buffer)
    return Server(argv[0], out).serve(lines)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
