"""``python -m reference_nn``: train tutorial 000's XOR network from its seed-1 weights and show it learn."""

import numpy as np

from reference_nn import Network, datasets
from reference_nn.initializers import legacy_rng, symmetric_uniform


def main() -> None:
    X, y = datasets.xor()
    rng = legacy_rng(1)
    net = Network.from_weights([symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))], "sigmoid")
    print("XOR, 3-4-1 sigmoid network, weights 2*rand-1 under np.random.seed(1), learning rate 1, 1/2 SSE")
    for step in range(6):
        print(f"after {step * 10000:>5} updates: mean |error| = {np.mean(np.abs(y - net.predict(X))):.6f}")
        net.fit(X, y, learning_rate=1.0, iterations=10000)
    print("output after 60000 updates:", np.round(net.predict(X).ravel(), 6))


if __name__ == "__main__":
    main()
