"""A held-out implementation that speaks wire protocol v1 by itself: standard library only (no NumPy, no
nnspec), written from the protocol's description, not from nnspec.wire. It implements ``activation`` for
sigmoid, tanh and relu; ``python held_out.py MODE`` misbehaves on relu in one way:

ok (correct), crash (exits), hang (never answers), garbage (a line that is not JSON, with an escape
sequence), seq (answers with the wrong seq), kind (a result that is not a wire value), notimpl (answers
not_implemented to every call).
"""

import json
import math
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "ok"


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


FUNCTIONS = {"sigmoid": sigmoid, "tanh": math.tanh, "relu": lambda z: z if z > 0 else 0.0}


for line in sys.stdin:
    message = json.loads(line)
    if message["cmd"] == "start":
        send(
            {
                "ready": True,
                "version": 1,
                "implementation": {
                    "name": "held-out",
                    "version": "1",
                    "language": "python-stdlib",
                    "functions": ["activation"],
                },
            }
        )
    elif message["cmd"] == "stop":
        break
    else:
        seq, (name, z) = message["seq"], message["args"]
        if MODE == "notimpl" or name not in FUNCTIONS:
            send({"seq": seq, "not_implemented": True})
            continue
        if name == "relu" and MODE == "crash":
            sys.exit(3)
        if name == "relu" and MODE == "hang":
            time.sleep(3600)
        if name == "relu" and MODE == "garbage":
            sys.stdout.write("this is not JSON \x1b[31m red\n")
            sys.stdout.flush()
            continue
        if name == "relu" and MODE == "seq":
            seq += 7
        data = [FUNCTIONS[name](float(v)) for v in z["data"]]
        result = {"shape": z["shape"], "data": data}
        if name == "relu" and MODE == "kind":
            result = {"shape": z["shape"], "data": ["one"] * len(data)}
        send({"seq": seq, "result": result})
