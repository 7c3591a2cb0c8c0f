"""A learner's program in tutorial 001's shape with one mistake: the data are used as they are.

The scaling step is skipped: hours stay 1 to 9 and scores stay 86 to 92, so a sigmoid output, which lies
between 0 and 1, can never reach a target. Everything else (the class, its update) is right.
"""

import numpy as np

hours = [[2, 9], [1, 5], [3, 6]]
scores = [[92], [86], [89]]
X = np.array(hours, dtype=float)
y = np.array(scores, dtype=float)
xPredicted = np.array([4.0, 8.0])


def logistic(t):
    return 1.0 / (1.0 + np.exp(-t))


class Neural_Network:
    def __init__(self):
        self.W1 = np.random.uniform(-1, 1, (2, 3))
        self.W2 = np.random.uniform(-1, 1, (3, 1))

    def forward(self, X):
        self.hidden = logistic(np.dot(X, self.W1))
        return logistic(np.dot(self.hidden, self.W2))

    def sigmoid(self, s):
        return logistic(s)

    def sigmoidPrime(self, s):
        return s * (1.0 - s)

    def backward(self, X, y, o):
        out_delta = (y - o) * self.sigmoidPrime(o)
        hidden_delta = np.dot(out_delta, self.W2.T) * self.sigmoidPrime(self.hidden)
        self.W1 += np.dot(X.T, hidden_delta)
        self.W2 += np.dot(self.hidden.T, out_delta)


if __name__ == "__main__":
    net = Neural_Network()
    for _ in range(1000):
        net.backward(X, y, net.forward(X))
    print(net.forward(xPredicted))
