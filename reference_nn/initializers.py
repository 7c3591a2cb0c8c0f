"""Weight initialisers. Each takes a random source and a shape and returns float64 weights.

The random source is a NumPy ``Generator`` (``np.random.default_rng(seed)``) or, to replay a
tutorial exactly, :func:`legacy_rng`: the stream of ``np.random.seed(seed)`` followed by
``np.random.random`` / ``np.random.randn`` calls.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import check_size, finite_number, lookup, positive_int


def legacy_rng(seed: int) -> np.random.RandomState:
    """The global stream a tutorial gets from ``np.random.seed(seed)``, as an object."""
    return np.random.RandomState(positive_int(seed, "seed", allow_zero=True))


def _source(rng):
    if not isinstance(rng, (np.random.Generator, np.random.RandomState)):
        raise TypeError(f"rng: expected a numpy Generator or legacy_rng(seed), got {type(rng).__name__}")
    return rng


def _shape(shape):
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    else:
        try:
            shape = tuple(shape)
        except TypeError:
            raise TypeError(f"shape: expected an integer or a tuple of integers, got {type(shape).__name__}") from None
    return check_size([positive_int(n, "shape entry", allow_zero=True) for n in shape], "shape")


def uniform(rng, shape):
    """U[0, 1): ``np.random.random(shape)``; mean 1/2, variance 1/12."""
    return _source(rng).random(_shape(shape))


def symmetric_uniform(rng, shape):
    """2 U[0, 1) - 1, uniform on [-1, 1): ``2*np.random.random(shape) - 1``; mean 0, variance 1/3."""
    return 2.0 * uniform(rng, shape) - 1.0


def standard_normal(rng, shape):
    """N(0, 1): ``np.random.randn(*shape)``; mean 0, variance 1."""
    return _source(rng).standard_normal(_shape(shape))


def scaled_normal(rng, shape, scale: float = 0.1):
    """scale N(0, 1), by default ``0.1*np.random.randn(*shape)``; mean 0, variance scale^2."""
    return finite_number(scale, "scale", positive=True) * standard_normal(rng, shape)


def zeros(rng, shape):
    """All zeros (the random source is ignored and may be None)."""
    return np.zeros(_shape(shape))


INITIALIZERS = {f.__name__: f for f in (uniform, symmetric_uniform, standard_normal, scaled_normal, zeros)}


def get_initializer(spec):
    """An initialiser from its name (see ``INITIALIZERS``), or a callable as is."""
    if callable(spec):
        return spec
    return lookup(INITIALIZERS, spec, "initializer", "a name or a callable")
