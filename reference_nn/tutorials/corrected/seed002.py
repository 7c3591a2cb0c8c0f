"""Tutorial 002, the from-scratch ``LinearLayer`` / ``NeuralNet`` lesson: the corrected edition.

Our edit of the runnable program in the transcription ``reference_nn.tutorials.seed002`` (column layout: ``X``
is features x samples). The transcription already repairs what kept the printed blocks from running at all:
002.linear-layer-snippet-syntax-error, 002.methods-lack-self, 002.linear-activation-code, 002.relu-code,
002.leaky-relu-code, 002.predict-code, 002.layer-backward-code and 002.fit-code. This edition fixes what is
still wrong once it runs (the threshold, the derivatives, the softmax, the loss's axis and the gradient fit
feeds back) and adds the iris program in a form that runs and learns. Each change names the claim it fixes.
"""

import numpy as np

from reference_nn import datasets  # 002.iris-program-runs: the iris table and its split, without scikit-learn

# ---- the nearest program that runs (column layout: X is features x samples) --------------------------


class IdentityActivation:
    def forward(self, X):
        return X


class LinearActivation:
    def __init__(self, a):
        self.a = a

    def forward(self, X):
        return self.a * X


class SigmoidActivation:
    def forward(self, X):
        return 1 / (1 + np.e ** (-X))

    def backward(self, A):
        # Just the derivative
        # 002.sigmoid-backward-code: LinearLayer.backward passes Z, not the output, so A(1 - A) needs A = sigmoid(Z)
        A = self.forward(A)
        return A * (1 - A)


class TanhActivation:
    def forward(self, X):
        return np.tanh(X)


class BinaryStepActivation:
    def __init__(self, thresh=0):
        self.thresh = thresh

    def forward(self, X):
        out = np.ones_like(X)
        out[X <= self.thresh] = 0  # 002.binary-step-thresh-ignored: compare with the stored threshold
        return out


class ReLUActivation:
    def __init__(self, a=1):
        self.a = a

    def forward(self, X):
        out = X.copy()
        out[X <= 0] = 0
        out *= self.a
        return out

    def backward(self, A):
        A = A.copy()
        A[A <= 0] = 0
        A[A > 0] = 1  # 002.relu-backward-code: the derivative (a where the input is positive), not a * relu(A)
        A *= self.a
        return A


class LeakyReLUActivation:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def forward(self, X):
        out = X.copy()
        out[X <= 0] *= self.b
        out[X > 0] *= self.a
        return out


class SoftMaxActivation:
    def forward(self, X):
        # 002.softmax-code: normalise each sample (a column here), after subtracting its maximum so exp cannot overflow
        E = np.exp(X - X.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)

    def backward(self, Z):
        # 002.fit-feeds-loss-as-gradient: with the cross-entropy, fit passes dZ = A - Y, into which the softmax's
        # Jacobian is already folded; so this layer passes it on (a choice: valid for that loss only)
        return np.ones_like(Z)


def categorical_crossentropy(target, output):
    # 002.cce-axis-in-column-layout: one sample per column in this program, so the classes are axis 0, not -1
    output /= output.sum(axis=0, keepdims=True)
    output = np.clip(output, 1e-7, 1 - 1e-7)  # 002.cce-clip-comment: so that log(output) stays finite
    return np.sum(target * -np.log(output), axis=0, keepdims=False)


class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, name=None):
        self.W = np.random.randn(output_size, input_size) * 0.1
        self.b = np.random.randn(output_size, 1) * 0.1
        self.activation = activation
        if not activation:
            self.activation = IdentityActivation()

    def forward(self, X):
        self.A_prev = X.copy()
        self.Z_curr = np.dot(self.W, X) + self.b
        self.A_curr = self.activation.forward(self.Z_curr)
        return self.A_curr.copy()

    def backward(self, dA_curr, lr=0.001):
        m = self.A_prev.shape[1]

        dZ_curr = dA_curr * self.activation.backward(self.Z_curr)
        dW_curr = np.dot(dZ_curr, self.A_prev.T) / m
        db_curr = np.sum(dZ_curr, axis=1, keepdims=True) / m
        dA_prev = np.dot(self.W.T, dZ_curr)

        self.W -= lr * dW_curr
        self.b -= lr * db_curr

        return dA_prev


class NeuralNet:
    def __init__(self, layers=[]):  # noqa: B006 - the tutorial's default
        self.layers = layers

    def predict(self, X):
        A = X
        for layer in self.layers:
            A = layer.forward(A)
        return A

    def fit(self, X, y, lr=0.001, epoch=1):
        for _ in range(epoch):
            # 002.iris-tutorial-hyperparameters: each epoch starts from the input X; writing the output over X
            # broke every epoch after the first (the lesson's default is one epoch)
            A = X
            for layer in self.layers:
                A = layer.forward(A)

            # 002.fit-feeds-loss-as-gradient: the gradient of the cross-entropy after a softmax, dZ = A - Y,
            # not the loss values
            dA_curr = A - y

            for layer in reversed(self.layers):
                dA_curr = layer.backward(dA_curr, lr=lr)


def seeded_layer(seed, input_size, output_size):
    """``np.random.seed(seed)`` then ``LinearLayer(input_size, output_size)``."""
    np.random.seed(seed)
    return LinearLayer(input_size, output_size)


def iris_network(seed):
    """The lesson's 4-10-5-3 network, its weights drawn after ``np.random.seed(seed)``.

    The lesson sets no seed; the seed is ours, so that the draws can be replayed.
    """
    np.random.seed(seed)
    return NeuralNet(
        [
            LinearLayer(4, 10, activation=ReLUActivation()),
            LinearLayer(10, 5, activation=ReLUActivation()),
            LinearLayer(5, 3, activation=SoftMaxActivation()),
        ]
    )


def iris_program(seed=0, lr=1.0, epoch=100):
    """The lesson's iris program, made to run and learn; returns the test accuracy.

    ``seed`` (ours) is passed to ``iris_network``: the lesson sets none.
    """
    # 002.iris-program-runs: the table and train_test_split(test_size=0.25, random_state=42)'s split come from
    # this package's datasets instead of scikit-learn (a choice: the same rows)
    X, target = datasets.iris()
    train, test = datasets.shuffle_split(len(X), 0.25, 42)
    # 002.iris-fit-statistics: standardise the features with the training rows' mean and standard deviation
    X = (X - X[train].mean(axis=0)) / X[train].std(axis=0)
    net = iris_network(seed)
    # 002.iris-program-runs: one sample per column (.T), as LinearLayer needs, and one-hot targets
    # 002.iris-tutorial-hyperparameters: learning rate 1.0 and 100 updates, not fit's 0.001 and 1 (our settings)
    net.fit(X[train].T, datasets.one_hot(target[train], 3).T, lr=lr, epoch=epoch)
    pred = net.predict(X[test].T).argmax(axis=0)
    return datasets.accuracy(pred.astype(float), target[test].astype(float))
