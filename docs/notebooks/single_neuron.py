# %% [markdown]
# # Tutorial 003: one neuron on a line
#
# Tutorial 003 trains a single sigmoid neuron with the log loss (cross-entropy) to tell points above the line
# $y = 1.23x + 3.23$ from points below it, starting from zero weights, learning rate 0.1 for 2,000 iterations,
# and then classifies 2,000 new random points ("the accuracy is around 99%").
#
# The tutorial writes its formulas with samples as columns ($X$ is $n \times m$, $A = \sigma(w^T X + b)$);
# `reference_nn` keeps samples as rows, so the same neuron is `sigmoid(X @ w + b)` with `w` of shape
# $(2, 1)$. The tutorial does not say where its points come from; `datasets.line_points` draws them
# uniformly on the square $[-10, 10]^2$.

# %%
import matplotlib.pyplot as plt
import numpy as np

from reference_nn import Network
from reference_nn.datasets import accuracy, line_points

rng = np.random.default_rng(0)
X, y = line_points(rng, 200)  # 200 training points, then 2,000 test points from the same generator
X_test, y_test = line_points(rng, 2000)
net = Network.from_weights([np.zeros((2, 1))], "sigmoid", biases=[np.zeros(1)], loss="binary_cross_entropy")
cost = net.fit(X, y, learning_rate=0.1, iterations=2000)
(w,), (b,) = net.weights, net.biases
print("w =", w.ravel(), " b =", b)
print(f"learned boundary: y = {-w[0, 0] / w[1, 0]:.3f} x + {-b[0] / w[1, 0]:.3f}   (true line: y = 1.23 x + 3.23)")

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(cost)
ax.set_xlabel("iteration")
ax.set_ylabel("cross-entropy")
ax.set_title("training cost, 200 points")
plt.show()

# %% [markdown]
# ## 2,000 new points and the decision boundary
#
# The neuron says "above" where $\sigma(w_1 x + w_2 y + b) > 0.5$, that is where $w_1 x + w_2 y + b > 0$: its
# decision boundary is the line $y = -(w_1 x + b) / w_2$.

# %%
predicted = (net.predict(X_test) > 0.5).astype(float)
acc = accuracy(predicted.ravel(), y_test.ravel())
print(f"accuracy on 2,000 new points: {acc:.2%}")

xs = np.array([-10.0, 10.0])
fig, ax = plt.subplots(figsize=(6.5, 6.5))
wrong = predicted.ravel() != y_test.ravel()
ax.scatter(*X_test[y_test.ravel() == 1].T, s=4, c="tab:blue", label="above the line")
ax.scatter(*X_test[y_test.ravel() == 0].T, s=4, c="tab:red", label="below the line")
ax.scatter(*X_test[wrong].T, s=40, facecolors="none", edgecolors="k", label="misclassified")
ax.plot(xs, 1.23 * xs + 3.23, "g", lw=2, label="y = 1.23x + 3.23")
ax.plot(xs, -(w[0, 0] * xs + b[0]) / w[1, 0], "k--", label="the neuron's boundary")
ax.set_xlim(-10, 10)
ax.set_ylim(-10, 10)
ax.legend(loc="lower right")
plt.show()

# %% [markdown]
# The points the neuron gets wrong are not points *on* the line (a continuous sample puts none there) but
# points near it, in the thin wedge between the true line and the learned boundary. The boundary's intercept
# comes out too low: the bias sees an input of 1 while the coordinates go up to 10, so it learns slowly. More
# training points and more steps both help:

# %%
for n_train, steps in ((50, 2000), (200, 2000), (1000, 2000), (200, 20000)):
    Xn, yn = line_points(np.random.default_rng(0), n_train)
    neuron = Network.from_weights([np.zeros((2, 1))], "sigmoid", biases=[np.zeros(1)], loss="binary_cross_entropy")
    neuron.fit(Xn, yn, learning_rate=0.1, iterations=steps)
    (wn,), (bn,) = neuron.weights, neuron.biases
    a = accuracy((neuron.predict(X_test) > 0.5).ravel().astype(float), y_test.ravel())
    print(
        f"{n_train:5d} training points, {steps:6d} steps: accuracy {a:.2%} on the same 2,000 test points, "
        f"intercept {-bn[0] / wn[1, 0]:.2f}"
    )
