import numpy as np

from dnngui import core
from dnngui.core import data
from dnngui.core.evaluation import confusion_matrix, predict_digits


def test_confusion_matrix_counts_every_digit_once():
    counts = confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 2, 0]), 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_a_zero_one_model_is_evaluated_on_the_zeros_and_ones_only():
    val = data.split(data.bundled())[1]
    net = core.Network([784, 4, 1], "relu", "sigmoid", seed=0)
    true_idx, predicted, images = predict_digits(net, val)
    assert true_idx.size == np.isin(val.labels, [0, 1]).sum() == len(images) == predicted.size
    assert set(np.unique(true_idx)) == {0, 1}
