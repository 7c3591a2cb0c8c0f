"""Tutorial 000's own program in the shape ``pytest --tutorial-code 000=FILE`` reads: its ``nonlin`` and its
two training loops (sections 4.2 and 4.4) at top level, each loop body as the transcription writes it
(``reference_nn.tutorials.seed000.first_example_step`` and ``two_hidden_step``: arithmetic and update rules
unchanged). The other four tutorials' transcriptions have that shape already; 000's keeps each loop body in a
function so that a test can take one step, so this file puts the loops back. The book checks it as chapter
000's "own code" (examples/implementations.yaml).
"""

import numpy as np

from reference_nn.tutorials.seed000 import (  # noqa: F401 - nonlin is the shape's activation
    FIRST_X,
    FIRST_Y,
    TWO_HIDDEN_X,
    TWO_HIDDEN_Y,
    first_example_weights,
    nonlin,
    two_hidden_weights,
)

X, y = FIRST_X, FIRST_Y
syn0 = first_example_weights()
for _ in range(10000):  # 4.2: one layer of weights
    l0 = X
    l1 = nonlin(np.dot(l0, syn0))
    l1_error = y - l1
    l1_delta = l1_error * nonlin(l1, True)
    syn0 += np.dot(l0.T, l1_delta)

X, y = TWO_HIDDEN_X, TWO_HIDDEN_Y
syn0, syn1 = two_hidden_weights()
for _ in range(60000):  # 4.4: two layers of weights
    l0 = X
    l1 = nonlin(np.dot(l0, syn0))
    l2 = nonlin(np.dot(l1, syn1))
    l2_error = y - l2
    l2_delta = l2_error * nonlin(l2, deriv=True)
    l1_error = l2_delta.dot(syn1.T)
    l1_delta = l1_error * nonlin(l1, deriv=True)
    syn1 += l1.T.dot(l2_delta)
    syn0 += l0.T.dot(l1_delta)
