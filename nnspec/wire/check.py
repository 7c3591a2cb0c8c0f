"""For implementers: ``python -m nnspec.wire.check -- COMMAND``, every message your program sends, validated.

Two ways to use it while you develop:

- alone, it starts COMMAND, sends ``start`` and one call of each protocol function the program says it
  implements (small inputs), and checks every answer against ``nnspec/schemas/wire-v1.schema.json`` and
  the protocol's other rules (the right ``seq``, one line per message, valid values); it prints one line
  per message and exits 1 if any broke the protocol;
- as a proxy under the harness, ``pytest --impl "cmd:python -m nnspec.wire.check --proxy -- COMMAND"``:
  every line passes through unchanged, and every violation is written to stderr, which the report shows
  with the test that made the call.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import jsonschema
import numpy as np

from nnspec.wire import protocol

SAMPLES = {
    "activation": (["sigmoid", np.array([[-1.0, 0.0, 2.0]])], {}),
    "activation_grad": (["relu", np.array([[-1.0, 0.5, 2.0]])], {}),
    "sigmoid_grad_from_output": ([np.array([[0.25, 0.5]])], {}),
    "softmax_jacobian": ([np.array([[1.0, 2.0, 3.0]])], {}),
    "loss": (["mse", np.array([[0.5], [0.25]]), np.array([[1.0], [0.0]])], {}),
    "loss_grad": (["mse", np.array([[0.5], [0.25]]), np.array([[1.0], [0.0]])], {}),
    "dense_forward": ([np.ones((2, 3)), np.full((3, 2), 0.5), np.zeros(2), "sigmoid"], {}),
    "dense_backward": ([np.ones((2, 3)), np.full((3, 2), 0.5), np.zeros(2), "sigmoid", np.ones((2, 2))], {}),
    "predict": ([np.ones((2, 3)), [np.full((3, 2), 0.5)], [None], ["sigmoid"]], {}),
    "train": (
        [np.ones((2, 3)), np.ones((2, 2)), [np.full((3, 2), 0.5)], [np.zeros(2)], ["sigmoid"], "mse", 0.1, 2],
        {},
    ),
}


def schema() -> dict:
    return json.loads(resources.files("nnspec").joinpath("schemas/wire-v1.schema.json").read_text(encoding="utf-8"))


def validator(which: str) -> jsonschema.Draft202012Validator:
    """A validator of messages ``to_implementation`` or ``from_implementation``."""
    whole = schema()
    return jsonschema.Draft202012Validator({**whole, "oneOf": [{"$ref": f"#/$defs/{which}"}]})


def problems(line: str, answers: jsonschema.Draft202012Validator, seq: int | None) -> list[str]:
    """What is wrong with one answer line ([] when nothing)."""
    try:
        message = protocol.loads(line)
    except protocol.WireError as exc:
        return [str(exc)]
    found = [
        f"{'/'.join(map(str, e.absolute_path)) or '(message)'}: {e.message[:300]}" for e in answers.iter_errors(message)
    ]
    if seq is not None and message.get("seq") != seq:
        found.append(f"seq {message.get('seq')!r} answers call seq {seq}")
    if "result" in message:
        try:
            protocol.decode(message["result"], results=True)
        except protocol.WireError as exc:
            found.append(str(exc))
    return found


def standalone(command: list[str]) -> int:
    answers = validator("from_implementation")
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    bad = 0

    def exchange(message: dict, seq: int | None) -> dict | None:
        nonlocal bad
        proc.stdin.write(protocol.dumps(message))
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            print(f"{message.get('fn', message['cmd'])}: no answer (the program exited with {proc.wait()})")
            bad += 1
            return None
        found = problems(line, answers, seq)
        bad += bool(found)
        what = message.get("fn", message["cmd"])
        print(f"{what}: " + ("ok" if not found else "BREAKS THE PROTOCOL: " + "; ".join(found)))
        if found:
            print(f"  the line: {protocol.shown(line.rstrip())}")
        return None if found else json.loads(line)

    ready = exchange(protocol.START, None)
    functions = (ready or {}).get("implementation", {}).get("functions", [])
    for seq, fn in enumerate(functions, start=1):
        args, kwargs = SAMPLES[fn]
        exchange(protocol.call(seq, fn, args, kwargs), seq)
    try:
        proc.stdin.write(protocol.dumps(protocol.STOP))
        proc.stdin.close()
        proc.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()
    proc.stdout.close()
    print(f"{bad} message(s) broke wire protocol v1" if bad else "every message follows wire protocol v1")
    return 1 if bad else 0


def proxy(command: list[str]) -> int:
    """Pass every line through; report violations on stderr."""
    requests, answers = validator("to_implementation"), validator("from_implementation")
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    for line in sys.stdin:
        message = json.loads(line)
        if list(requests.iter_errors(message)):
            print(f"nnspec.wire.check: the harness sent an invalid message: {protocol.shown(line)}", file=sys.stderr)
        proc.stdin.write(line)
        proc.stdin.flush()
        if message.get("cmd") == "stop":
            break
        answer = proc.stdout.readline()
        if not answer:
            break
        for problem in problems(answer, answers, message.get("seq")):
            print(f"nnspec.wire.check: {message.get('fn', message.get('cmd'))}: {problem}", file=sys.stderr)
        sys.stdout.write(answer)
        sys.stdout.flush()
    proc.stdin.close()
    code = proc.wait()
    proc.stdout.close()
    return code


def main(argv: list[str]) -> int:
    as_proxy = "--proxy" in argv[: argv.index("--")] if "--" in argv else False
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    if not command:
        print("usage: python -m nnspec.wire.check [--proxy] -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    return proxy(command) if as_proxy else standalone(command)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
