"""reference_nn: small, correct NumPy implementations of the networks in five beginner tutorials.

Inputs are checked at every public entry point (see :mod:`reference_nn._checks`): integer and float
arrays are converted to float64 exactly, booleans and other dtypes are refused with a TypeError, NaN
and infinity with a ValueError; a request for more than :data:`MAX_ELEMENTS` values raises
:class:`SizeLimitError`; training that reaches a NaN or infinite loss or weight raises
:class:`DivergenceError` unless ``on_nonfinite="keep"`` is passed (see :mod:`reference_nn.network`).
"""

from ._checks import MAX_ELEMENTS, SizeLimitError
from .activations import (
    ACTIVATIONS,
    Activation,
    BinaryStep,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    get_activation,
)
from .layers import Dense, dense_backward, dense_forward
from .losses import (
    LOSSES,
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    HalfSumSquaredError,
    Loss,
    MeanSquaredError,
    SumSquaredError,
    get_loss,
)
from .network import DivergenceError, Network, train_many

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "BinaryStep",
    "Identity",
    "LeakyReLU",
    "Linear",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "get_activation",
    "Dense",
    "dense_backward",
    "dense_forward",
    "LOSSES",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "HalfSumSquaredError",
    "Loss",
    "MeanSquaredError",
    "SumSquaredError",
    "get_loss",
    "Network",
    "train_many",
    "DivergenceError",
    "MAX_ELEMENTS",
    "SizeLimitError",
    "__version__",
]
