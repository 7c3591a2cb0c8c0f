# %% [markdown]
# # Activation functions and their derivatives
#
# Every activation in `reference_nn.activations` has a value `fn(z)` and a derivative `grad(z)`. This
# notebook plots both for each one, on the same axes, so the shapes the tutorials describe can be seen:
# the sigmoid squashes into $(0, 1)$, tanh into $(-1, 1)$, ReLU cuts negative inputs to zero, and the leaky
# ReLU lets a small slope $b$ through. The specification checks every derivative against SymPy; here we only
# look at them.

# %%
import matplotlib.pyplot as plt
import numpy as np

from reference_nn import Sigmoid, Softmax, get_activation

z = np.linspace(-5, 5, 1001)
shown = [
    ("identity", {}),
    ("linear", {"a": 0.5}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("binary_step", {}),
    ("relu", {}),
    ("leaky_relu", {"b": 0.1}),
]
fig, axes = plt.subplots(2, 4, figsize=(13, 6), sharex=True)
for ax, (name, params) in zip(axes.flat, shown):
    act = get_activation(name, **params)
    ax.plot(z, act.fn(z), label="f(z)")
    ax.plot(z, act.grad(z), "--", label="f'(z)")
    ax.set_title(name + (" " + ", ".join(f"{k}={v}" for k, v in params.items()) if params else ""))
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
axes.flat[0].legend()
axes.flat[-1].axis("off")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The sigmoid's derivative, written from its output
#
# With $s = \sigma(z) = 1/(1 + e^{-z})$ the derivative is $\sigma'(z) = s\,(1 - s)$: it can be computed from
# the *output* alone. Several tutorials write `sigmoid_derivative(x) = x * (1 - x)` and must therefore pass
# the sigmoid's output, not its input. Passing $z$ instead gives a curve that is not a derivative at all:

# %%
sig = Sigmoid()
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(z, sig.grad(z), label=r"$\sigma'(z)$")
ax.plot(z, Sigmoid.grad_from_output(sig.fn(z)), ":", lw=3, label="s(1-s) with s = sigmoid(z)")
ax.plot(z, z * (1 - z), "--", label="z(1-z): the output formula fed the input")
ax.set_ylim(-1, 0.5)
ax.legend()
ax.set_xlabel("z")
plt.show()
print("largest gap between sigma'(z) and s(1-s):", np.abs(sig.grad(z) - Sigmoid.grad_from_output(sig.fn(z))).max())

# %% [markdown]
# ## Softmax
#
# Softmax acts on a whole row: $s_i = e^{z_i} / \sum_j e^{z_j}$. Its outputs are positive and sum to one, and
# its derivative is a matrix, $\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)$. Below, the three outputs
# for the row $(t, 0, -t)$ as $t$ grows:

# %%
t = np.linspace(-4, 4, 401)
rows = np.stack([t, np.zeros_like(t), -t], axis=1)
s = Softmax().fn(rows)
fig, ax = plt.subplots(figsize=(7, 4))
for i in range(3):
    ax.plot(t, s[:, i], label=f"s_{i + 1}")
ax.plot(t, s.sum(axis=1), "k:", label="sum")
ax.set_xlabel("t, for z = (t, 0, -t)")
ax.legend()
plt.show()
print("Jacobian at z = (1, 0, -1):")
print(np.round(Softmax().jacobian(np.array([[1.0, 0.0, -1.0]]))[0], 4))
