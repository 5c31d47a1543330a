"""Evaluating a classifier on a set of digits: predictions and the confusion matrix."""

import numpy as np

from dnngui.core.data import as_columns
from dnngui.core.tasks import class_index

CHUNK = 2048


def predict_digits(network, digits):
    """(true class indices, predicted class indices, kept images) for the digits of the network's classes.

    Digits of other classes (the 2s to 9s for a 0-vs-1 model) are left out.
    """
    keep = np.isin(digits.labels, network.classes)
    lookup = class_index(network.classes)
    images = digits.images[keep]
    X = as_columns(images)
    step = min(CHUNK, network.columns_within())  # a wide, deep network reads fewer digits at once
    with np.errstate(over="ignore", invalid="ignore"):  # weights of 3e38 overflow: wrong guesses, not warnings
        chunks = [network.output.predict(network.forward(X[:, i : i + step]).A[-1]) for i in range(0, X.shape[1], step)]
    predicted = np.concatenate(chunks) if chunks else np.zeros(0, np.intp)
    return lookup[digits.labels[keep]], predicted, images


def confusion_matrix(true_idx, predicted, n_classes):
    """counts[i, j]: how many of class i were predicted as class j."""
    counts = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(counts, (true_idx, predicted), 1)
    return counts
