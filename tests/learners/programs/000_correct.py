"""A learner's program in tutorial 000's shape (nonlin and top-level training loops), done right.

It differs from the tutorial only where that does not matter: its own data order,
``@`` for ``np.dot`` and its own random initial weights.
"""

import numpy as np


def nonlin(x, deriv=False):
    if deriv:
        return x * (1.0 - x)  # the slope, from the sigmoid's output x
    return 1.0 / (1.0 + np.exp(-x))


rng = np.random.default_rng(2024)

# one layer of weights: the output copies the first input
X = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 1.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
y = np.array([[1.0], [0.0], [1.0], [0.0]])
syn0 = rng.uniform(-1.0, 1.0, size=(3, 1))
for _ in range(10000):
    l0 = X
    l1 = nonlin(l0 @ syn0)
    l1_delta = (y - l1) * nonlin(l1, deriv=True)
    syn0 += l0.T @ l1_delta
print("one layer:", l1.ravel())

# two layers of weights: XOR of the first two inputs
y = np.array([[0.0], [0.0], [1.0], [1.0]])
syn0 = rng.uniform(-1.0, 1.0, size=(3, 4))
syn1 = rng.uniform(-1.0, 1.0, size=(4, 1))
for _ in range(60000):
    l0 = X
    l1 = nonlin(l0 @ syn0)
    l2 = nonlin(l1 @ syn1)
    l2_delta = (y - l2) * nonlin(l2, deriv=True)
    l1_delta = (l2_delta @ syn1.T) * nonlin(l1, deriv=True)
    syn1 += l1.T @ l2_delta
    syn0 += l0.T @ l1_delta
print("two layers:", l2.ravel())
