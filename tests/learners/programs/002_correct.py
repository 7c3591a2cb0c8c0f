"""A learner's program in tutorial 002's shape (activation classes, LinearLayer, NeuralNet), done right.

Samples are columns, as in the tutorial. Where the tutorial goes wrong this program does not: the
ReLU's backward is its slope, the binary step uses its threshold, the softmax normalises each
column (shifted by its maximum, so it cannot overflow), the loss is the mean cross-entropy, and
``fit`` starts the backward pass from the loss's gradient. The softmax's backward is a
Jacobian-vector product, applied by the layer.
"""

import numpy as np


class IdentityActivation:
    def forward(self, X):
        return X

    def backward(self, A):
        return np.ones_like(A)


class LinearActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, X):
        return self.a * X

    def backward(self, A):
        return np.full_like(A, self.a)


class SigmoidActivation:
    def forward(self, X):
        e = np.exp(-np.abs(X))  # never overflows
        return np.where(X >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def backward(self, A):
        return A * (1 - A)


class TanhActivation:
    def forward(self, X):
        return np.tanh(X)

    def backward(self, A):
        return 1 - A**2


class BinaryStepActivation:
    def __init__(self, thresh=0.0):
        self.thresh = thresh

    def forward(self, X):
        return (X > self.thresh).astype(float)

    def backward(self, A):
        return np.zeros_like(A)


class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, X):
        return np.where(X > 0, self.a * X, 0.0)

    def backward(self, A):
        return np.where(A > 0, self.a, 0.0)


class LeakyReLUActivation:
    def __init__(self, a=1.0, b=0.01):
        self.a, self.b = a, b

    def forward(self, X):
        return np.where(X > 0, self.a * X, self.b * X)

    def backward(self, A):
        return np.where(A > 0, self.a, self.b)


class SoftMaxActivation:
    def forward(self, X):
        e = np.exp(X - X.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

    def chain(self, A, dA):
        return A * (dA - np.sum(A * dA, axis=0, keepdims=True))


def categorical_crossentropy(target, output):
    m = target.shape[1]
    return -np.sum(target * np.log(np.clip(output, 1e-15, 1 - 1e-15))) / m


class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, name=None):
        rng = np.random.default_rng(0)
        self.W = rng.standard_normal((output_size, input_size)) * 0.1
        self.b = np.zeros((output_size, 1))
        self.activation = activation or IdentityActivation()

    def forward(self, X):
        self.A_prev = X
        self.A_curr = self.activation.forward(self.W @ X + self.b)
        return self.A_curr

    def backward(self, dA_curr, lr=0.001):
        m = self.A_prev.shape[1]
        if hasattr(self.activation, "chain"):
            dZ = self.activation.chain(self.A_curr, dA_curr)
        else:
            dZ = dA_curr * self.activation.backward(self.A_curr)
        dW = dZ @ self.A_prev.T / m
        db = np.sum(dZ, axis=1, keepdims=True) / m
        dA_prev = self.W.T @ dZ
        self.W = self.W - lr * dW
        self.b = self.b - lr * db
        return dA_prev


class NeuralNet:
    def __init__(self, layers):
        self.layers = layers

    def predict(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def fit(self, X, y, lr=0.001, epoch=1):
        for _ in range(epoch):
            output = self.predict(X)
            dA = -y / np.clip(output, 1e-15, None)  # d(loss)/d(output) per sample; the layers divide by m
            for layer in reversed(self.layers):
                dA = layer.backward(dA, lr=lr)
