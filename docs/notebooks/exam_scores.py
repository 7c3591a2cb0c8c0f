# %% [markdown]
# # Tutorial 001: the exam-score network over 100,000 iterations
#
# Tutorial 001 predicts a test score from hours studied and hours slept with a 2-3-1 sigmoid network without
# biases, weights drawn with `np.random.randn` and no seed. Its update `W += X.T @ delta` is gradient descent
# on half the sum of squared errors with learning rate 1; the loss it prints is the mean squared error. It
# reports that after 100,000 iterations the network outputs exactly 0.92, 0.86 and 0.89.
#
# Because the tutorial sets no seed, the question is how often that happens. Here 100 networks, drawn with
# `legacy_rng(seed)` for seeds 0 to 99 exactly as `np.random.seed(seed)` followed by the tutorial's two
# `randn` calls would draw them, are trained together with `train_many`.

# %%
import matplotlib.pyplot as plt
import numpy as np

from reference_nn import Network, train_many
from reference_nn.datasets import exam_scores_scaled
from reference_nn.initializers import legacy_rng, standard_normal

X, y, query = exam_scores_scaled()
seeds = np.arange(100)
W1, W2 = [], []
for seed in seeds:
    rng = legacy_rng(seed)
    W1.append(standard_normal(rng, (2, 3)))
    W2.append(standard_normal(rng, (3, 1)))
weights = [np.array(W1), np.array(W2)]

# 100,000 iterations in ten steps of 10,000, keeping the mean squared error every 100 iterations
mse = []
for _ in range(10):
    weights, _, half_sse = train_many(X, y, weights, "sigmoid", "half_sse", learning_rate=1.0, iterations=10000)
    mse.append(2 * half_sse[::100] / y.size)  # half SSE -> mean squared error
mse = np.concatenate(mse)


def forward(x, W1, W2):
    """Each seed's trained network applied to x: (seeds, samples, 1)."""
    return np.stack([Network.from_weights([a, b], "sigmoid").predict(x) for a, b in zip(W1, W2)])


final = forward(X, *weights)[:, :, 0]  # (seeds, 3 samples)
final_mse = ((final - y.ravel()) ** 2).mean(axis=1)

# %% [markdown]
# ## How the loss falls, seed by seed

# %%
iterations = np.arange(0, 100000, 100) + 1
exact = np.all(np.abs(final - y.ravel()) < 5e-9, axis=1)  # prints as 0.92, 0.86, 0.89 at numpy's 8 decimals
stuck = final_mse > 1e-6  # a plateau: the loss has stopped falling
colour = np.where(exact, "tab:blue", np.where(stuck, "tab:red", "tab:orange"))
fig, ax = plt.subplots(figsize=(8, 4.5))
for s in seeds:
    ax.loglog(iterations, mse[:, s], color=colour[s], alpha=0.35, lw=0.8)
ax.set_xlabel("iteration")
ax.set_ylabel("mean squared error")
ax.set_title("100 seeds: blue print the targets exactly, orange come close, red are stuck")
plt.show()
print(
    f"{exact.sum()} of {seeds.size} seeds print exactly 0.92, 0.86, 0.89 after 100,000 iterations "
    f"(seeds {', '.join(str(s) for s in seeds[exact][:8])}, ...);"
)
print(f"{(~exact & ~stuck).sum()} come within a mean squared error of 1e-6 without printing them exactly;")
print(f"{stuck.sum()} are stuck on a plateau above 1e-6")

# %% [markdown]
# ## The seeds that fail to converge
#
# The seeds stuck on a plateau, with their outputs after 100,000 iterations and the loss. They all sit near
# the same outputs, about (0.906, 0.872, 0.891), where the loss surface is flat.

# %%
print(" seed   outputs after 100,000 iterations      mean squared error")
for s in seeds[stuck]:
    print(f"{s:5d}   {np.array2string(final[s], precision=5):36s}  {final_mse[s]:.3e}")

fig, ax = plt.subplots(figsize=(7, 4))
ax.hist(np.log10(final_mse), bins=40)
ax.axvline(np.log10(1e-6), color="k", ls=":", label="1e-6")
ax.legend()
ax.set_xlabel("log10 of the mean squared error after 100,000 iterations")
ax.set_ylabel("seeds")
plt.show()

# %% [markdown]
# ## The prediction for 4 hours of study and 8 of sleep
#
# The tutorial scales this query by its own maximum, to $(0.5, 1)$, and prints 0.91882413. The networks that
# fit the three training points do not agree on it: three points do not determine the answer elsewhere.

# %%
predictions = forward(query, *weights)[:, 0, 0]
print("query (scaled):", query)
fitted = ~stuck
print(
    f"predictions of the {fitted.sum()} seeds that fit the data: min {predictions[fitted].min():.4f}, "
    f"median {np.median(predictions[fitted]):.4f}, max {predictions[fitted].max():.4f}"
)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.hist(predictions[fitted], bins=30)
ax.axvline(0.91882413, color="k", ls=":", label="printed by the tutorial")
ax.set_xlabel("predicted score / 100 for (4 h study, 8 h sleep)")
ax.legend()
plt.show()
