"""Tutorial 002, the from-scratch ``LinearLayer`` / ``NeuralNet`` lesson: its code, transcribed.

None of the lesson's programs runs as printed, so this module holds two things:

* ``SNIPPETS``: the code blocks exactly as printed (line numbers removed), and :func:`run_snippet`
  to execute one of them, so that the specification can show what each does when run.
* The nearest program that runs, in the tutorial's column layout (``X`` is features x samples).
  Repairs, and nothing else: ``self`` added to every method; ``ReLUActivation`` made a class
  with ``a=1`` by default (the iris network calls it without arguments); the missing ``return``
  added to the ReLU and leaky ReLU ``forward``; ``x`` read as ``X`` in the softmax;
  ``self.a`` in the linear activation; ``A = X`` before the loop in ``predict``;
  ``self.A_prev`` for ``A_prev``; in ``LinearLayer.backward`` the activation's one-argument
  ``backward`` is applied to ``Z`` and multiplied by ``dA`` (the lesson's dZ = dA * g'(Z));
  ``fit`` passes its own ``lr`` and does not unpack. Everything else, including the bugs the
  specification documents, is the tutorial's.
"""

import numpy as np

SNIPPETS = {
    "linear_layer": """\
class LinearLayer():
    # We will initialize W and b. They should be very small, so multiplying by 0.1
    def __init__(self, input_size, output_size, activation=None, name=None):
        self.W = np.random.randn(output_size, input_size) * 0.1
        self.b = np.random.randn(output_size, 1) * 0.1

        # Activation function are in the next section
        self.activation = activation
        if not activation:
            self.activation = IdentityActivation()

    # The is the prediction of the layer.
    def forward(X):
        self.A_prev = X.copy()
        self.Z_curr = np.dot(self.W, X) + self.b
        self.A_curr = self.activation.forward(self.Z_curr)
        return self.A_curr.copy()

## For our test purpose
if __name__ = '__main__':
    ll1 = LinearLayer(4, 1)
    print(ll1.forward([
        [1, 2, 3, 4]
    ])
""",
    "identity": """\
class IdentityActivation():
    def forward(X):
        return X
""",
    "linear": """\
class LinearActivation():
    def __init__(self, a):
        self.a = a

    def forward(X):
        return a*X
""",
    "sigmoid": """\
class SigmoidActivation():
    def forward(X):
        return 1/(1+np.e**(-X))
""",
    "tanh": """\
class TanhActivation():
    def forward(X):
        return np.tanh(X)
""",
    "binary_step": """\
class BinaryStepActivation():
    def __init__(self, thresh=0):
        self.thresh = thresh

    def forward(X):
        out = np.ones_like(X)
        out[X <= 0] = 0
        return out
""",
    "relu": """\
def ReLUActivation():
    def __init__(self, a):
        self.a = a
    def forward(X):
        out = X.copy()
        out[X <= 0] = 0
        out *= self.a
""",
    "leaky_relu": """\
class LeakyReLUActivation():
    def __init__(self,a,b):
        self.a = a
        self.b = b
    def forward(X):
        out = X.copy()
        out[X <= 0] *= self.b
        out[X > 0] *= self.a
""",
    "softmax": """\
class SoftMaxActivation():
    def forward(X):
        return np.e**x / np.sum(np.e**x)
""",
    "predict": """\
class NeuralNet():
    def __init__(self, layers=[]):
        self.layers = layers

    def predict(X):
        for layer in layers:
            A = layer.forward(A)
        return A
""",
    "backward": """\
class SigmoidActivation():
    # ...
    def backward(self, A):
        # Just the derivative
        return A*(1-A)

class ReLUActivation():
    # ...
    def backward(self, A):
        A = A.copy()
        A[A <= 0] = 0;
        A *= self.a
        return A;

class LinearLayer():
    # ...
    def backward(dA_curr, lr=0.001):
        m = A_prev.shape[1]

        dZ_curr = self.activation.backward(dA_curr, self.Z_curr)
        dW_curr = np.dot(dZ_curr, self.A_prev.T) / m
        db_curr = np.sum(dZ_curr, axis=1, keepdims=True) / m
        dA_prev = np.dot(self.W.T, dZ_curr)

        self.W -= lr * dW_curr
        self.b -= lr * db_curr

        return dA_prev
""",
    "fit": """\
class NeuralNet():
    # ...
    def fit(X, y, lr=0.001, epoch=1):
        for i in range(epoch):
            for layer in self.layers:
                X = layer.forward(X)

            dA_curr = categorical_crossentropy(y, X)

            for layer in reversed(self.layers):
                dA_curr, = layer.backward(dA_curr, lr=self.lr)
""",
    "iris": """\
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score # To calculate accuracy

iris = load_iris()

net = NeuralNet([
    LinearLayer(4, 10, activation=ReLUActivation()),
    LinearLayer(10, 5, activation=ReLUActivation()),
    LinearLayer(5, 3, activation=SoftMaxActivation()),
])

# We do preprocessing like the last lesson
X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.25, random_state=42)

net.fit(X_train, y_train)
pred = net.predict(X_test)
print(accuracy_score(pred, y_test))
""",
}


def compile_snippet(name):
    """Compile a printed code block (raises what Python raises for it)."""
    return compile(SNIPPETS[name], f"<tutorial 002: {name}>", "exec")


def run_snippet(name, **namespace):
    """Execute a printed code block with ``np`` (and ``namespace``) defined; returns its namespace."""
    ns = {"np": np, "__name__": "tutorial002", **namespace}
    exec(compile_snippet(name), ns)
    return ns


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
        return A * (1 - A)


class TanhActivation:
    def forward(self, X):
        return np.tanh(X)


class BinaryStepActivation:
    def __init__(self, thresh=0):
        self.thresh = thresh

    def forward(self, X):
        out = np.ones_like(X)
        out[X <= 0] = 0
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
        return np.e**X / np.sum(np.e**X)


def categorical_crossentropy(target, output):
    output /= output.sum(axis=-1, keepdims=True)
    output = np.clip(output, 1e-7, 1 - 1e-7)  # So that weights dont become 0
    return np.sum(target * -np.log(output), axis=-1, keepdims=False)


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
            for layer in self.layers:
                X = layer.forward(X)

            dA_curr = categorical_crossentropy(y, X)

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
