# %% [markdown]
# # Tutorial 000's networks, training
#
# Tutorial 000 trains two small sigmoid networks with the update `syn += l.T @ (error * l * (1 - l))`:
# gradient descent on half the sum of squared errors, $L = \tfrac12 \sum (y - \hat y)^2$, with learning
# rate 1. `reference_nn` runs the same updates from the same starting weights: `legacy_rng(1)` replays the
# numbers `np.random.seed(1)` gives the tutorial.

# %%
import matplotlib.pyplot as plt
import numpy as np

from reference_nn import Network
from reference_nn.datasets import first_example, two_hidden_example, xor
from reference_nn.initializers import legacy_rng, symmetric_uniform

# %% [markdown]
# ## The first example: one layer of weights, 10,000 iterations
#
# Four inputs of three bits; the target is the first bit. The tutorial prints the outputs of the last
# forward pass.

# %%
X, y = first_example()
W0 = symmetric_uniform(legacy_rng(1), (3, 1))  # 2*np.random.random((3, 1)) - 1 after np.random.seed(1)
net = Network.from_weights([W0], "sigmoid", loss="half_sse")
losses = net.fit(X, y, learning_rate=1.0, iterations=9999)
print("output of the 10,000th forward pass:")
print(net.predict(X))

fig, ax = plt.subplots(figsize=(7, 4))
ax.loglog(np.arange(1, losses.size + 1), losses)
ax.set_xlabel("iteration")
ax.set_ylabel("half sum of squared errors")
ax.set_title("first example, seed 1")
plt.show()

# %% [markdown]
# ## The hidden-layer network on XOR, seed 1, 60,000 iterations
#
# Section 4.4 trains a 3-4-1 network (`syn0` is 3x4, `syn1` is 4x1) and prints the mean absolute error every
# 10,000 iterations. Its printed output is what this program gives on the XOR table (the target is
# $x_1 \oplus x_2$, the third input is a constant 1); the table printed above the code has two identical
# inputs with different targets, which no network can fit. Both runs, from the seed-1 weights:


# %%
def run(X, y, iterations=60000):
    rng = legacy_rng(1)
    weights = [symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))]
    net = Network.from_weights(weights, "sigmoid", loss="half_sse")
    losses = net.fit(X, y, learning_rate=1.0, iterations=iterations)
    return net, losses


X_xor, y_xor = xor()
net_xor, losses_xor = run(X_xor, y_xor)
X_two, y_two = two_hidden_example()
net_two, losses_two = run(X_two, y_two)

fig, ax = plt.subplots(figsize=(7, 4))
it = np.arange(1, 60001)
ax.loglog(it, losses_xor, label="XOR table")
ax.loglog(it, losses_two, label="table as printed (rows 3 and 4 contradict)")
ax.axhline(0.25, color="0.5", ls=":", label="0.25: the least loss on the printed table")
ax.set_xlabel("iteration")
ax.set_ylabel("half sum of squared errors")
ax.legend()
plt.show()
print("XOR outputs after 60,000 iterations:", np.round(net_xor.predict(X_xor).ravel(), 4))
print("printed-table outputs after 60,000 iterations:", np.round(net_two.predict(X_two).ravel(), 4))

# %% [markdown]
# On the printed table the inputs of rows 3 and 4 are both $(2, 2, 2)$ with targets 0 and 1. Whatever the
# network outputs there, say $p$, those two rows cost $\tfrac12 (p^2 + (1 - p)^2) \ge \tfrac14$, so the loss
# cannot fall below 0.25. On XOR it falls towards zero.

# %% [markdown]
# ## The mean absolute error the tutorial prints
#
# The tutorial prints `np.mean(np.abs(l2_error))` at iterations 0, 10,000, ..., 50,000. The same numbers from
# the clean API, training in steps of 10,000:

# %%
rng = legacy_rng(1)
net = Network.from_weights([symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))], "sigmoid")
for j in range(0, 60000, 10000):
    print(f"Error after {j:>6} iterations: {np.mean(np.abs(y_xor - net.predict(X_xor))):.10f}")
    net.fit(X_xor, y_xor, learning_rate=1.0, iterations=10000)
