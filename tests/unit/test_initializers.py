"""reference_nn.initializers: shapes, dtypes, the legacy np.random stream, determinism, error paths."""

import numpy as np
import pytest

from reference_nn.initializers import (
    INITIALIZERS,
    get_initializer,
    legacy_rng,
    scaled_normal,
    standard_normal,
    symmetric_uniform,
    uniform,
    zeros,
)

RANDOM = ["uniform", "symmetric_uniform", "standard_normal", "scaled_normal"]


@pytest.fixture
def global_stream():
    """np.random's global state, restored afterwards so no other test sees a difference."""
    state = np.random.get_state()  # noqa: NPY002
    yield np.random
    np.random.set_state(state)  # noqa: NPY002


def test_every_initializer_is_listed():
    assert set(INITIALIZERS) == set(RANDOM) | {"zeros"}


@pytest.mark.parametrize("shape", [(3, 4), 5, (2, 0), (np.int64(2), 3)])
@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_shape_and_dtype(name, shape):
    for rng in (np.random.default_rng(0), legacy_rng(0)):
        w = INITIALIZERS[name](rng, shape)
        assert w.dtype == np.float64
        assert w.shape == ((shape,) if np.ndim(shape) == 0 else tuple(shape))


def test_legacy_rng_replays_np_random_seed_exactly(global_stream):
    global_stream.seed(1)  # noqa: NPY002 - the tutorials' global stream is what is being reproduced
    first = global_stream.random((3, 1))  # noqa: NPY002
    then = 2 * global_stream.random((3, 4)) - 1  # noqa: NPY002
    normal = global_stream.randn(2, 3)  # noqa: NPY002
    scaled = 0.1 * global_stream.randn(4)  # noqa: NPY002
    rng = legacy_rng(1)
    np.testing.assert_array_equal(uniform(rng, (3, 1)), first)
    np.testing.assert_array_equal(symmetric_uniform(rng, (3, 4)), then)
    np.testing.assert_array_equal(standard_normal(rng, (2, 3)), normal)
    np.testing.assert_array_equal(scaled_normal(rng, 4), scaled)


def test_legacy_rng_does_not_touch_the_global_stream(global_stream):
    global_stream.seed(5)  # noqa: NPY002
    state = global_stream.get_state()
    uniform(legacy_rng(1), (10,))
    after = global_stream.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]


@pytest.mark.parametrize("name", RANDOM)
def test_generators_are_deterministic_by_seed(name):
    f = INITIALIZERS[name]
    np.testing.assert_array_equal(f(np.random.default_rng(3), (4, 2)), f(np.random.default_rng(3), (4, 2)))
    assert not np.array_equal(f(np.random.default_rng(3), (4, 2)), f(np.random.default_rng(4), (4, 2)))
    np.testing.assert_array_equal(f(legacy_rng(3), (4, 2)), f(legacy_rng(3), (4, 2)))


def test_the_documented_distributions():
    """Means and variances of 200 000 draws, within 5 standard errors."""
    n = 200_000
    u = uniform(np.random.default_rng(0), n)
    s = symmetric_uniform(np.random.default_rng(1), n)
    g = scaled_normal(np.random.default_rng(2), n, scale=0.3)
    assert 0 <= u.min() and u.max() < 1 and -1 <= s.min() and s.max() < 1
    for x, mean, var in [(u, 0.5, 1 / 12), (s, 0.0, 1 / 3), (g, 0.0, 0.09)]:
        assert abs(x.mean() - mean) < 5 * np.sqrt(var / n)
        assert x.var() == pytest.approx(var, rel=0.02)


def test_scaled_normal_is_the_scale_times_a_standard_normal_draw():
    np.testing.assert_array_equal(
        scaled_normal(np.random.default_rng(9), (3, 3), 0.25), 0.25 * standard_normal(np.random.default_rng(9), (3, 3))
    )
    np.testing.assert_array_equal(scaled_normal(legacy_rng(9), 3), 0.1 * standard_normal(legacy_rng(9), 3))


def test_zeros_ignores_the_random_source():
    assert zeros(None, (2, 2)).tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_get_initializer():
    assert get_initializer("uniform") is uniform

    def custom(rng, shape):
        return np.ones(shape)

    assert get_initializer(custom) is custom


# ---- error paths --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RANDOM)
def test_the_random_source_must_be_a_generator(name):
    with pytest.raises(TypeError, match="rng: expected a numpy Generator or legacy_rng\\(seed\\), got int"):
        INITIALIZERS[name](42, (2, 2))
    with pytest.raises(TypeError, match="rng: expected a numpy Generator or legacy_rng\\(seed\\), got module"):
        INITIALIZERS[name](np.random, (2, 2))


def test_shape_must_be_non_negative_integers():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match="shape: expected an integer or a tuple of integers, got NoneType"):
        uniform(rng, None)
    with pytest.raises(ValueError, match="shape entry: expected an integer >= 0, got -1"):
        standard_normal(rng, (-1, 2))
    with pytest.raises(TypeError, match="shape entry: expected an integer, got float"):
        zeros(rng, (2.0, 3))
    with pytest.raises(TypeError, match="shape entry: expected an integer, got bool"):
        uniform(rng, True)


def test_scale_must_be_a_positive_number():
    with pytest.raises(ValueError, match="scale: expected a number > 0, got 0.0"):
        scaled_normal(np.random.default_rng(0), 3, scale=0)
    with pytest.raises(TypeError, match="scale: expected a real number, got str"):
        scaled_normal(np.random.default_rng(0), 3, scale="0.1")


def test_legacy_seed_must_be_a_non_negative_integer():
    with pytest.raises(ValueError, match="seed: expected an integer >= 0, got -1"):
        legacy_rng(-1)
    with pytest.raises(TypeError, match="seed: expected an integer, got float"):
        legacy_rng(1.0)


def test_unknown_initializer():
    with pytest.raises(ValueError, match=r"unknown initializer 'he'; expected one of \['scaled_normal', "):
        get_initializer("he")
    with pytest.raises(TypeError, match="initializer: expected a name or a callable, got int"):
        get_initializer(3)
