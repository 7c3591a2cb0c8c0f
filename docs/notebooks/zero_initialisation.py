# %% [markdown]
# # What zero initialisation does to a hidden layer
#
# Tutorial 003 starts its single neuron from $w = 0, b = 0$ and warns that this "does not work if there are
# several neurons and layers". The reason is symmetry. If every hidden unit starts with the same weights,
# every hidden unit computes the same output, receives the same gradient, and takes the same step: after any
# number of iterations they are still identical, and the layer is worth a single unit.
#
# Below, a 3-4-1 sigmoid network (tutorial 000's shape) learns XOR from zero weights and from random weights.

# %%
import matplotlib.pyplot as plt
import numpy as np

from reference_nn import Network
from reference_nn.datasets import xor
from reference_nn.initializers import legacy_rng, symmetric_uniform, zeros

X, y = xor()


def trained(weights, iterations=20000):
    net = Network.from_weights(weights, "sigmoid", loss="half_sse")
    losses = net.fit(X, y, learning_rate=1.0, iterations=iterations)
    return net, losses


zero_net, zero_losses = trained([zeros(None, (3, 4)), zeros(None, (4, 1))])
rng = legacy_rng(1)
random_net, random_losses = trained([symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))])

fig, ax = plt.subplots(figsize=(7, 4))
ax.loglog(np.arange(1, 20001), zero_losses, label="all weights zero")
ax.loglog(np.arange(1, 20001), random_losses, label="uniform on [-1, 1), seed 1")
ax.set_xlabel("iteration")
ax.set_ylabel("half sum of squared errors")
ax.legend()
plt.show()
print("outputs, zero start:  ", np.round(zero_net.predict(X).ravel(), 4))
print("outputs, random start:", np.round(random_net.predict(X).ravel(), 4))

# %% [markdown]
# On XOR the zero start is worse than symmetric: it is a stationary point. All four hidden units output
# $\sigma(0) = 0.5$ for every input, so the output is 0.5 for every input, and with the targets
# $(0, 1, 1, 0)$ the errors cancel exactly in every gradient. Nothing moves at all:

# %%
print("first-layer weights after 20,000 iterations from zero:")
print(zero_net.weights[0])
print("second-layer weights:", zero_net.weights[1].ravel())

# %% [markdown]
# ## The hidden units stay identical
#
# On a task whose errors do not cancel, the zero-started weights do move, but symmetrically. Here the same
# 3-4-1 network learns AND on the same inputs (targets 0, 0, 0, 1: they do not balance). The four columns of the
# first weight matrix are the four hidden units: from zero they are still equal after 20,000 iterations;
# from random weights they have become four different features.

# %%
X1, y1 = X, (X[:, :1] * X[:, 1:2])  # x1 AND x2
sym_net = Network.from_weights([zeros(None, (3, 4)), zeros(None, (4, 1))], "sigmoid", loss="half_sse")
sym_net.fit(X1, y1, learning_rate=1.0, iterations=20000)
rng = legacy_rng(1)
free_net = Network.from_weights([symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))], "sigmoid")
free_net.fit(X1, y1, learning_rate=1.0, iterations=20000)
W_zero, W_random = sym_net.weights[0], free_net.weights[0]
print("zero start, first-layer weights (one column per hidden unit):")
print(np.round(W_zero, 4))
print("largest difference between two hidden units:", np.abs(W_zero - W_zero[:, :1]).max())
print("random start, first-layer weights:")
print(np.round(W_random, 4))

fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
limit = max(np.abs(W_random).max(), np.abs(W_zero).max())
for ax, W, title in ((axes[0], W_zero, "zero start"), (axes[1], W_random, "random start")):
    image = ax.imshow(W, cmap="coolwarm", vmin=-limit, vmax=limit)
    ax.set_xticks(range(4), [f"unit {i + 1}" for i in range(4)])
    ax.set_yticks(range(3), ["x1", "x2", "x3 (=1)"])
    ax.set_title(title)
fig.colorbar(image, ax=axes)
plt.show()

# %% [markdown]
# With identical hidden units the network computes functions of a single hidden feature, whatever the width of
# the layer. That suffices for AND (one feature separates it) but never for XOR, which needs
# two. A single neuron has no such problem, because there is no second unit to be symmetric with; that is why
# tutorial 003 may start from zeros.
