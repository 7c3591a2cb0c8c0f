"""Tutorial 000, "Understand how a Neural Network works": the corrected edition of its programs.

Our edit of the transcription ``reference_nn.tutorials.seed000``: the 4.4 program runs on the XOR table,
the data its printed errors and output come from; ``predict`` rounds with ``np.round`` and the class
example prints with ``print()``, as Python 3 needs; the Motorbike class gets back the indentation the text
extraction lost. The transcription leaves out the 4.5 program's comments; where a printed comment is wrong,
this edition adds the right one and names the claim. Each change names its claim in a comment.
"""

import numpy as np

# ---- 4.2 and 4.4: the sigmoid written with its derivative from the output --------------------------


def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


# ---- 4.2: a single layer of weights ---------------------------------------------------------------------

FIRST_X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
FIRST_Y = np.array([[0, 0, 1, 1]]).T


def first_example_step(l0, y, syn0):
    """One pass of the 4.2 loop body; updates ``syn0`` in place and returns l1 (before the update)."""
    l1 = nonlin(np.dot(l0, syn0))
    l1_error = y - l1
    l1_delta = l1_error * nonlin(l1, True)
    syn0 += np.dot(l0.T, l1_delta)
    return l1


def first_example_weights():
    """The initial weights of 4.2: ``np.random.seed(1); syn0 = 2*np.random.random((3,1)) - 1``."""
    np.random.seed(1)
    return 2 * np.random.random((3, 1)) - 1


def first_example(iterations=10000):
    """Section 4.2, seed 1. Returns the l1 the program prints ("Output After Training")."""
    X, y = FIRST_X, FIRST_Y
    syn0 = first_example_weights()
    for _ in range(iterations):
        l1 = first_example_step(X, y, syn0)
    return l1


# ---- 4.3: a forward pass through two ReLU nodes (input() replaced by parameters) ------------------------

RELU_WEIGHTS = {
    "node_0": np.array([2, 4]),
    "node_1": np.array([[4, -5]]),  # a 2-D array in the tutorial; the .sum() below hides it
    "output_node": np.array([2, 7]),
}


def relu(input):
    # Rectified Linear Activation
    output = max(input, 0)
    return output


def relu_example(a, b):
    """Section 4.3 with a and b given instead of typed. Returns (hidden_layer_outputs, model_output)."""
    weights = RELU_WEIGHTS
    input_data = np.array([a, b])
    node_0_input = (input_data * weights["node_0"]).sum()
    node_0_output = relu(node_0_input)
    node_1_input = (input_data * weights["node_1"]).sum()
    node_1_output = relu(node_1_input)
    hidden_layer_outputs = np.array([node_0_output, node_1_output])
    model_output = (hidden_layer_outputs * weights["output_node"]).sum()
    return hidden_layer_outputs, model_output


# ---- 4.4: two layers of weights ---------------------------------------------------------------------------

# 000.two-hidden-printed-errors, 000.two-hidden-printed-output: the printed data (rows 3 and 4 both [2, 2, 2]
# with targets 0 and 1) cannot give the printed errors and output; the XOR table, the data they come from, does.
# Which data to keep is a choice: we keep the program and its printed numbers, and change the data.
TWO_HIDDEN_X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
TWO_HIDDEN_Y = np.array([[0, 1, 1, 0]]).T


def two_hidden_weights():
    """``np.random.seed(1)``, then syn0 (3, 4) and syn1 (4, 1) as ``2*np.random.random(shape) - 1``."""
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    return syn0, syn1


def two_hidden_step(l0, y, syn0, syn1):
    """One pass of the 4.4 loop body; updates the weights in place. Returns (l1, l2, l2_error)."""
    l1 = nonlin(np.dot(l0, syn0))
    l2 = nonlin(np.dot(l1, syn1))
    l2_error = y - l2
    l2_delta = l2_error * nonlin(l2, deriv=True)
    l1_error = l2_delta.dot(syn1.T)
    l1_delta = l1_error * nonlin(l1, deriv=True)
    syn1 += l1.T.dot(l2_delta)
    syn0 += l0.T.dot(l1_delta)
    return l1, l2, l2_error


def two_hidden_layers(X=TWO_HIDDEN_X, y=TWO_HIDDEN_Y, iterations=60000, every=10000):
    """Section 4.4, on XOR (000.two-hidden-printed-errors). Returns (the "Error:..." lines, the printed l2)."""
    syn0, syn1 = two_hidden_weights()
    lines = []
    for j in range(iterations):
        l1, l2, l2_error = two_hidden_step(X, y, syn0, syn1)
        if (j % every) == 0:  # printed before the update in the tutorial; the update does not change l2_error
            lines.append("Error:" + str(np.mean(np.abs(l2_error))))
    return lines, l2


# ---- 4.5: digits 0-3 as 4x5 bitmaps -------------------------------------------------------------------

zero = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0]
one = [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]
two = [0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1]
three = [1, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1]
predict = [0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1]

DIGITS_X = np.array((zero, one, two, three), dtype=float)
# 000.digits-scaling-comment: the printed comment on y = y/3 ("max test score is 100") is left over from
# another program; the labels are divided by 3, their maximum, so the targets lie in the sigmoid's range
DIGITS_Y = np.array(([0], [1], [2], [3]), dtype=float) / 3  # the tutorial's "y = y/3"
xPredicted = np.array((predict), dtype=float)


class Neural_Network(object):  # noqa: UP004 (as in the tutorial)
    def __init__(self):
        self.inputSize = 20
        self.outputSize = 1
        self.hiddenSize = 20
        self.W1 = np.random.randn(self.inputSize, self.hiddenSize)
        self.W2 = np.random.randn(self.hiddenSize, self.outputSize)

    def forward(self, X):
        # 000.digits-weight-shape-comments: the printed comments call W1 and W2 "3x2" and "3x1"
        self.z = np.dot(X, self.W1)  # X (input) times the first set of weights, 20x20
        self.z2 = self.sigmoid(self.z)
        self.z3 = np.dot(self.z2, self.W2)  # the hidden layer (z2) times the second set of weights, 20x1
        o = self.sigmoid(self.z3)
        return o

    def sigmoid(self, s):
        return 1 / (1 + np.exp(-s))

    def sigmoidPrime(self, s):
        return s * (1 - s)

    def backward(self, X, y, o):
        self.o_error = y - o
        self.o_delta = self.o_error * self.sigmoidPrime(o)
        self.z2_error = self.o_delta.dot(self.W2.T)
        self.z2_delta = self.z2_error * self.sigmoidPrime(self.z2)
        self.W1 += X.T.dot(self.z2_delta)
        self.W2 += self.z2.T.dot(self.o_delta)

    def train(self, X, y):
        o = self.forward(X)
        self.backward(X, y, o)

    def predict(self):
        """Never called by the tutorial's program. Returns the lines it prints; ``round`` needs a scalar."""
        return [
            "Predicted data based on trained weights: ",
            "Input (scaled): \n" + str(xPredicted),
            "Actual Output: \n" + str((self.forward(xPredicted)) * 3),
            # 000.digits-rounded-output: in Python 3, round() of an array raises TypeError; np.round rounds it
            "Rounded Output: \n" + str(np.round((self.forward(xPredicted)) * 3)),
        ]


def digits_program(seed=None, iterations=100):
    """Section 4.5's main loop. The tutorial sets no seed; ``seed`` (ours) calls np.random.seed first.

    Returns (the trained network, the printed lines, the printed losses as floats).
    """
    if seed is not None:
        np.random.seed(seed)
    X, y = DIGITS_X, DIGITS_Y
    NN = Neural_Network()
    lines, losses = [], []
    for i in range(iterations):  # 000.digits-trains-100-times: 100 updates (printed comment: "10,000 times")
        lines.append("#" + str(i) + "\n")
        lines.append("Predicted Output: \n" + str(NN.forward(X) * 3))
        loss = np.mean(np.square(y - NN.forward(X)))
        lines.append("Loss: \n" + str(loss))
        losses.append(float(loss))
        NN.train(X, y)
    return NN, lines, losses


# ---- the Python asides of 4.5 as printed (the Motorbike class: its first lines) ---------------------------------

MYCLASS_SNIPPET = """\
# function
def double(x):
   return x * 2

# class
class MyClass(object):
   # method
   def myMethod(self):
       print("Hello, World")  # 000.python2-print-example: print is a function in Python 3

myObject = MyClass()
myObject.myMethod()  # will print "Hello, World”
"""

MOTORBIKE_SNIPPET = """\
class Motorbike(object):  # 000.motorbike-example-indentation: the indentation the text extraction lost
    def __init__(self, brand, color, year):
        self.brand = brand
        self.color = color
        self.year = year

    def start(self):
        print("started")
"""
