"""Classifying a drawing: preprocess like MNIST, then a forward pass."""

from dataclasses import dataclass

import numpy as np

from dnngui.core.preprocess import to_mnist


@dataclass(frozen=True)
class Prediction:
    """What the network makes of one drawing.

    x: the network's input, float32 (784,); probabilities: (classes,) summing to 1;
    label: the most likely class's label; confidence: its probability.
    """

    x: np.ndarray
    probabilities: np.ndarray
    label: int
    confidence: float


def classify(network, image):
    """The Prediction for a drawing (2-D, 0 = paper, 1 = ink), or None if nothing is drawn."""
    x = to_mnist(image)
    if x is None:
        return None
    probabilities = network.predict_proba(x.reshape(-1, 1))[:, 0].astype(np.float64)
    best = int(np.argmax(probabilities))
    return Prediction(x, probabilities, int(network.classes[best]), float(probabilities[best]))
