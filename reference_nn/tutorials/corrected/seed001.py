"""Tutorial 001, the exam-score network: the corrected edition of its final program.

Our edit of the transcription ``reference_nn.tutorials.seed001`` (the tutorial's Python 2 made Python 3,
see 001.programs-run-as-written): the query is scaled by the training data's maxima, as the text says, and
the comments give W1's shape as 2x3. Training is untouched. Each change names the claim it fixes.
"""

import numpy as np

# X = (hours studying, hours sleeping), y = score on test, xPredicted = 4 hours studying & 8 hours sleeping
X = np.array(([2, 9], [1, 5], [3, 6]), dtype=float)
y = np.array(([92], [86], [89]), dtype=float)
xPredicted = np.array(([4, 8]), dtype=float)

# scale units
# 001.query-scaled-as-training: the query is divided by the training columns' maxima (3, 9), as X is, not by
# its own maximum; so it is scaled before X is.
xPredicted = xPredicted / np.amax(X, axis=0)  # maximum of X array (the training data)
X = X / np.amax(X, axis=0)  # maximum of X array
y = y / 100  # max test score is 100


class Neural_Network:
    def __init__(self):
        # parameters
        self.inputSize = 2
        self.outputSize = 1
        self.hiddenSize = 3

        # weights
        # 001.w1-shape-comment: randn(inputSize, hiddenSize) is 2x3
        self.W1 = np.random.randn(self.inputSize, self.hiddenSize)  # (2x3) weight matrix from input to hidden layer
        self.W2 = np.random.randn(self.hiddenSize, self.outputSize)  # (3x1) weight matrix from hidden to output layer

    def forward(self, X):
        # forward propagation through our network
        # 001.forward-first-weights-comment: the first set of weights, W1, is 2x3
        self.z = np.dot(X, self.W1)  # dot product of X (input) and first set of 2x3 weights
        self.z2 = self.sigmoid(self.z)  # activation function
        self.z3 = np.dot(self.z2, self.W2)  # dot product of hidden layer (z2) and second set of 3x1 weights
        o = self.sigmoid(self.z3)  # final activation function
        return o

    def sigmoid(self, s):
        # activation function
        return 1 / (1 + np.exp(-s))

    def sigmoidPrime(self, s):
        # derivative of sigmoid
        return s * (1 - s)

    def backward(self, X, y, o):
        # backward propgate through the network
        self.o_error = y - o  # error in output
        self.o_delta = self.o_error * self.sigmoidPrime(o)  # applying derivative of sigmoid to error

        self.z2_error = self.o_delta.dot(
            self.W2.T
        )  # z2 error: how much our hidden layer weights contributed to output error
        self.z2_delta = self.z2_error * self.sigmoidPrime(self.z2)  # applying derivative of sigmoid to z2 error

        self.W1 += X.T.dot(self.z2_delta)  # adjusting first set (input --> hidden) weights
        self.W2 += self.z2.T.dot(self.o_delta)  # adjusting second set (hidden --> output) weights

    def train(self, X, y):
        o = self.forward(X)
        self.backward(X, y, o)

    def saveWeights(self):
        np.savetxt("w1.txt", self.W1, fmt="%s")
        np.savetxt("w2.txt", self.W2, fmt="%s")

    def predict(self):
        print("Predicted data based on trained weights: ")
        print("Input (scaled): \n" + str(xPredicted))
        print("Output: \n" + str(self.forward(xPredicted)))


def seeded_network(seed):
    """Neural_Network() after np.random.seed(seed) (the tutorial leaves the stream unseeded)."""
    np.random.seed(seed)
    return Neural_Network()


def untrained(seed=None):
    """The first program: an untrained network's output for X, printed beside y; returns the output."""
    if seed is not None:
        np.random.seed(seed)
    NN = Neural_Network()

    # defining our output
    o = NN.forward(X)

    print("Predicted Output: \n" + str(o))
    print("Actual Output: \n" + str(y))
    return o


def main(iterations=1000, seed=None, echo=print):
    """The final program's loop (``iterations`` updates), ``saveWeights`` and ``predict``; returns the network.

    ``seed`` (not in the tutorial) seeds ``np.random`` first; ``echo=None`` skips the loop's printing.
    """
    if seed is not None:
        np.random.seed(seed)
    NN = Neural_Network()
    for i in range(iterations):  # trains the NN 1,000 times
        if echo is not None:
            echo("# " + str(i) + "\n")
            echo("Input (scaled): \n" + str(X))
            echo("Actual Output: \n" + str(y))
            echo("Predicted Output: \n" + str(NN.forward(X)))
            echo("Loss: \n" + str(np.mean(np.square(y - NN.forward(X)))))  # mean sum squared loss
            echo("\n")
        NN.train(X, y)
    NN.saveWeights()
    NN.predict()
    return NN
