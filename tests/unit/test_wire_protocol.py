"""Wire protocol v1's values: every float64 crosses exactly, both ways; invalid values are refused with the
offending text shown; every message the harness builds and the Python server answers follows the schema."""

from __future__ import annotations

import json
import struct
import sys

import numpy as np
import pytest

from nnspec.wire import check, protocol
from nnspec.wire.protocol import WireError, decode, dumps, encode, loads

EDGES = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    2.225073858507201e-308,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    1.0,
    0.1,
    1 / 3,
    2.0**-1074,
    2.0**1023,
    9007199254740993.0,
    1e-320,
]


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


def cross(value, results: bool = False):
    """value -> its line -> back, as the two ends of the wire do."""
    line = dumps({"v": encode(value)})
    return decode(loads(line)["v"], results=results)


def test_every_float64_bit_pattern_crosses_exactly_both_ways():
    rng = np.random.default_rng(20261204)
    patterns = rng.integers(0, 2**64, size=200_000, dtype=np.uint64)
    values = patterns.view(np.float64)
    values = values[np.isfinite(values)]  # non-finite ones are the three strings (next test)
    subnormal = (rng.integers(1, 2**52, size=20_000, dtype=np.uint64)).view(np.float64)
    a = np.concatenate([values, subnormal, -subnormal, EDGES])
    back = cross(a)
    assert back.dtype == np.float64 and back.shape == a.shape
    np.testing.assert_array_equal(_bits(back), _bits(a))
    for x in EDGES:  # a bare float too, in arguments and in results
        assert struct.pack("<d", cross(x)) == struct.pack("<d", x)
        assert struct.pack("<d", cross(x, results=True)) == struct.pack("<d", x)


def test_non_finite_entries_are_the_strings_nan_inf_and_minus_inf():
    a = np.array([[np.nan, np.inf], [-np.inf, -0.0]])
    wire = encode(a)
    assert wire == {"shape": [2, 2], "data": ["nan", "inf", "-inf", -0.0]}
    assert "NaN" not in dumps({"v": wire}) and "Infinity" not in dumps({"v": wire})
    back = cross(a)
    assert np.isnan(back[0, 0]) and back[0, 1] == np.inf and back[1, 0] == -np.inf and np.signbit(back[1, 1])
    assert np.isnan(cross(float("nan")))


def test_arrays_are_row_major_with_their_shape():
    a = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    assert encode(a)["data"] == list(range(24)) and encode(a)["shape"] == [2, 3, 4]
    assert encode(np.asfortranarray(a))["data"] == list(range(24))
    for shaped in (np.zeros((0, 3)), np.array(2.5), np.ones((1, 1, 1))):
        back = cross(shaped)
        assert back.shape == shaped.shape and np.array_equal(back, shaped)


def test_other_values_cross_as_json_does():
    value = {"weights": [np.eye(2)], "biases": [None, np.zeros(1)], "name": "relu", "n": 3, "ok": True, "t": (1, 2)}
    back = cross(value)
    assert back["name"] == "relu" and back["n"] == 3 and isinstance(back["n"], int) and back["ok"] is True
    assert back["biases"][0] is None and np.array_equal(back["weights"][0], np.eye(2)) and back["t"] == [1, 2]
    number = cross(1, results=True)  # a result's number is a float64, however the implementation wrote it
    assert type(number) is np.float64 and number == 1.0


def test_non_float64_arrays_and_unsupported_results_keep_what_they_were():
    back = cross(np.ones(3, dtype=np.float32))
    assert back.dtype == np.float32
    assert cross(np.array([True, False])).dtype == np.bool_
    assert type(cross({1, 2})).__name__ == "set"


@pytest.mark.parametrize(
    ("wire", "says"),
    [
        ({"shape": [2], "data": [1.0]}, "has 2 entries: data has 1"),
        ({"shape": [1], "data": ["one"]}, "must be 'nan', 'inf' or '-inf': got one"),
        ({"shape": [1], "data": [True]}, "data are numbers"),
        ({"shape": [1], "data": [[1.0]]}, "data are numbers"),
        ({"shape": [-1], "data": []}, "non-negative integers"),
        ({"shape": [1], "data": [1.0], "extra": 1}, "exactly the keys shape and data"),
        ({"shape": [1], "data": [1.0], "dtype": "complex128"}, "unknown dtype"),
    ],
)
def test_an_invalid_value_is_refused_saying_what_is_wrong(wire, says):
    with pytest.raises(WireError, match=None) as raised:
        decode(wire, results=True)
    assert says in str(raised.value)


def test_a_line_that_is_not_a_json_object_is_refused_and_shown_safely():
    with pytest.raises(WireError) as raised:
        loads("garbage \x1b[2J" + "x" * 10_000)
    text = str(raised.value)
    assert "\x1b" not in text and "\\x1b[2J" in text and len(text) < 600
    for line in ('{"v": NaN}', "[1, 2]"):
        with pytest.raises(WireError):
            loads(line)


def test_shown_escapes_control_characters_and_caps_the_length():
    assert protocol.shown("a\nb\u2028c\x00") == "a\\nb\\u2028c\\x00"
    assert protocol.shown("y" * 1000, 10) == "yyyyyyyyyy… [990 more characters]"


def test_the_messages_the_harness_builds_follow_the_schema():
    sent = check.validator("to_implementation")
    for fn, (args, kwargs) in check.SAMPLES.items():
        message = json.loads(dumps(protocol.call(1, fn, args, kwargs)))
        assert not list(sent.iter_errors(message)), fn
    for message in (protocol.START, protocol.STOP):
        assert not list(sent.iter_errors(message))
    assert list(sent.iter_errors({"cmd": "call", "seq": 1, "fn": "trian", "args": [], "kwargs": {}}))


def test_every_answer_of_the_python_server_follows_the_schema(capsys):
    code = check.standalone([sys.executable, "-m", "nnspec.wire.serve", "reference_nn.adapter"])
    out = capsys.readouterr().out
    assert code == 0 and out.count(": ok") == 11, out


def test_the_check_finds_what_breaks_the_protocol():
    answers = check.validator("from_implementation")
    assert check.problems('{"seq": 2, "result": 1.0}\n', answers, 1) == ["seq 2 answers call seq 1"]
    assert check.problems('{"seq": 1, "result": {"shape": [1], "data": ["x"]}}\n', answers, 1)
    assert check.problems('{"seq": 1, "errored": true}\n', answers, 1)  # errored needs its message
    assert not check.problems('{"seq": 1, "not_implemented": true}\n', answers, 1)
