"""Tutorial 000's shape with a typical mistake: the slope taken at the pre-activation.

``nonlin(x, deriv=True)`` expects the sigmoid's output, but the two-layer loop hands it the weighted
sums ``z1`` and ``z2``, so every delta is scaled by the wrong slope.
"""

import numpy as np


def nonlin(x, deriv=False):
    if deriv:
        return x * (1.0 - x)
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500.0, 500.0)))


X = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
y = np.array([[0.0], [1.0], [1.0], [0.0]])
rng = np.random.default_rng(5)
syn0 = rng.uniform(-1.0, 1.0, size=(3, 4))
syn1 = rng.uniform(-1.0, 1.0, size=(4, 1))

for j in range(60000):
    z1 = X @ syn0
    l1 = nonlin(z1)
    z2 = l1 @ syn1
    l2 = nonlin(z2)
    l2_delta = (y - l2) * nonlin(z2, deriv=True)  # the mistake: z2 is not the output
    l1_delta = (l2_delta @ syn1.T) * nonlin(z1, deriv=True)  # and again
    syn1 += l1.T @ l2_delta
    syn0 += X.T @ l1_delta
    if j % 10000 == 0:
        print("Error:", np.mean(np.abs(y - l2)))
