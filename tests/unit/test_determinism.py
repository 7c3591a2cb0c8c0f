"""Determinism: the same computation gives the same bits, run after run, process after process.

The golden runs (tests/golden/runs/*.yaml) are trained with the reference adapter and hashed (SHA-256
of the float64 bytes of the losses, weights and biases): twice in this process, and once more in a
separate ``pytest -n 2`` (two xdist workers, a fresh hash seed); every hash must agree. Training must
also not depend on how it is cut up: n iterations in one call or in n calls, a network alone or in a
stack of others (train_many).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import reference_nn.adapter as reference
from nnspec import content
from nnspec.golden import GOLDEN, load_case, run_case
from reference_nn import Network, datasets, train_many
from reference_nn.initializers import legacy_rng, scaled_normal, symmetric_uniform

ROOT = content.ROOT
CASES = sorted(p.stem for p in (GOLDEN / "runs").glob("*.yaml"))


def run_hash(name: str) -> str:
    """SHA-256 of a golden run's losses, final weights and biases, trained by the reference adapter."""
    result = run_case(reference, load_case(name))
    digest = hashlib.sha256()
    for array in [result["losses"], *result["weights"], *result["biases"]]:
        digest.update(b"None" if array is None else np.ascontiguousarray(array, dtype="<f8").tobytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def hashes():
    return {name: run_hash(name) for name in CASES}


def test_there_are_golden_runs():
    assert len(CASES) >= 5, CASES


def test_golden_runs_are_bit_identical_run_after_run(hashes):
    assert {name: run_hash(name) for name in CASES} == hashes


WORKER = """
import json, os
import pytest
from tests.unit.test_determinism import CASES, run_hash

@pytest.mark.parametrize("name", CASES)
def test_hash(name, worker_id):
    out = os.path.join(os.environ["HASH_DIR"], name + ".json")
    with open(out, "w") as f:
        json.dump({"hash": run_hash(name), "worker": worker_id}, f)
"""


def test_golden_runs_are_bit_identical_under_pytest_xdist(hashes, tmp_path):
    """A separate ``pytest -n 2`` process, its cases spread over two workers, gets the same hashes."""
    (tmp_path / "test_hashes.py").write_text(textwrap.dedent(WORKER), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {**os.environ, "HASH_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only xdist: the other plugins cost start-up time
    env = {k: v for k, v in env.items() if not k.startswith("PYTEST_XDIST_")}  # when this test runs in a worker
    command = [sys.executable, "-m", "pytest", "-q", "-p", "xdist.plugin", "-n", "2", "-p", "no:cacheprovider"]
    command += ["-W", "error"]
    command += ["-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), str(tmp_path / "test_hashes.py")]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    runs = {name: json.loads((tmp_path / f"{name}.json").read_text()) for name in CASES}
    assert {name: run["hash"] for name, run in runs.items()} == hashes
    assert {run["worker"] for run in runs.values()} == {"gw0", "gw1"}


# ---- training does not depend on how it is cut up -------------------------------------------------------


def _xor_net():
    rng = legacy_rng(1)
    return Network.from_weights([symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))], "sigmoid")


def _iris_net():
    rng = np.random.default_rng(0)
    weights = [scaled_normal(rng, (4, 5)), scaled_normal(rng, (5, 3))]
    biases = [scaled_normal(rng, (5,)), scaled_normal(rng, (3,))]
    return Network.from_weights(weights, ["tanh", "softmax"], biases, "categorical_cross_entropy")


def _iris_data():
    X, labels = datasets.iris()
    return (X - X.mean(axis=0)) / X.std(axis=0), datasets.one_hot(labels)


@pytest.mark.parametrize(
    ("make", "data", "learning_rate", "iterations"),
    [(_xor_net, datasets.xor, 1.0, 1500), (_iris_net, _iris_data, 0.3, 450)],
    ids=["xor-sigmoid-half-sse", "iris-tanh-softmax-cce-bias"],
)
def test_n_iterations_in_one_call_equal_n_calls_of_one(make, data, learning_rate, iterations):
    """Losses are computed in blocks of iterations inside fit; the block boundaries change no bit."""
    X, Y = data()
    whole, pieces = make(), make()
    losses = whole.fit(X, Y, learning_rate, iterations)
    split = np.concatenate([pieces.fit(X, Y, learning_rate, 1) for _ in range(iterations)])
    np.testing.assert_array_equal(losses, split)
    for a, b in zip(whole.weights + whole.biases, pieces.weights + pieces.biases):
        np.testing.assert_array_equal(a, b)


def test_a_network_trains_the_same_alone_or_in_any_stack():
    """train_many: network s gets the same bits in a stack of 1, of 9, and with the stack reversed."""
    X, Y = datasets.xor()
    draws = [(symmetric_uniform(r, (3, 4)), symmetric_uniform(r, (4, 1))) for r in map(legacy_rng, range(9))]
    stack = [np.stack([d[i] for d in draws]) for i in range(2)]
    full = train_many(X, Y, stack, "sigmoid", iterations=400)
    reverse = train_many(X, Y, [W[::-1] for W in stack], "sigmoid", iterations=400)
    for s in (0, 4, 8):
        alone = train_many(X, Y, [W[s : s + 1] for W in stack], "sigmoid", iterations=400)
        for other, t in ((full, s), (reverse, 8 - s)):
            np.testing.assert_array_equal(alone[2][:, 0], other[2][:, t])
            for W_alone, W_other in zip(alone[0], other[0]):
                np.testing.assert_array_equal(W_alone[0], W_other[t])
