"""The two classification tasks, each a filtered view of whichever digits are loaded.

``digits``: all ten digits, softmax output. ``zero-one``: the article's
classifier, only the 0s and 1s, one sigmoid unit giving P(digit is 1).
"""

from dataclasses import dataclass

import numpy as np

from dnngui.core.data import as_columns


def class_index(classes):
    """(10,) lookup from a digit to its class index among ``classes`` (−1 for digits not among them)."""
    lookup = np.full(10, -1, np.intp)
    lookup[np.asarray(classes, np.intp)] = np.arange(len(classes))
    return lookup


def network_arrays(network, digits, limit=None):
    """(X (784, n) uint8, Y (n_L, n) targets) of the first ``limit`` digits (default all) of ``network``'s own
    classes: a model of any classes (3 vs 7, nine digits) is checked on the digits it knows."""
    keep = np.flatnonzero(np.isin(digits.labels, network.classes))[:limit]
    classes = class_index(network.classes)[np.asarray(digits.labels)[keep]]
    return as_columns(digits.images[keep]), network.output.one_hot(classes, len(network.classes))


def task_of(network):
    """The task a network was made for: a sigmoid output tells 0 from 1, a softmax reads ten digits."""
    return "zero-one" if network.output.name == "sigmoid" else "digits"


@dataclass(frozen=True)
class Task:
    name: str
    classes: tuple  # the digit each class index stands for
    output: str  # "softmax" or "sigmoid"
    title: str

    @property
    def output_units(self):
        return 1 if self.output == "sigmoid" else len(self.classes)

    def count(self, digits):
        """How many of ``digits`` belong to this task's classes."""
        return int(np.isin(digits.labels, self.classes).sum())

    def select(self, digits):
        """The digits of this task's classes: (X (784, N) uint8, class indices (N,))."""
        keep = np.isin(digits.labels, self.classes)
        return as_columns(digits.images[keep]), class_index(self.classes)[digits.labels[keep]]


TASKS = {
    "digits": Task("digits", tuple(range(10)), "softmax", "0–9 digits (softmax)"),
    "zero-one": Task("zero-one", (0, 1), "sigmoid", "0 vs 1 (sigmoid, as in the article)"),
}
