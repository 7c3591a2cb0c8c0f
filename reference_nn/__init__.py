"""reference_nn: small, correct NumPy implementations of the networks in five beginner tutorials."""

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
from .network import Network, train_many

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
    "__version__",
]
