"""Which digits the app trains and evaluates on: the bundled set or an imported MNIST folder."""

from PySide6 import QtCore

from core import data


class DataSource(QtCore.QObject):
    """The digits in use, split once into train and validation. ``changed`` fires on import."""

    changed = QtCore.Signal()

    def __init__(self, digits=None):
        super().__init__()
        self._set(digits or data.bundled())

    def _set(self, digits, test=None):
        self.digits = digits
        self.train, self.validation = data.split(digits)
        self.test = test  # an imported MNIST test set (t10k), if there is one

    def import_folder(self, folder):
        """Use the MNIST training set in ``folder`` (and its t10k test set, if present);
        DataError leaves the current data in place."""
        digits = data.read_mnist_folder(folder, "train")
        try:
            test = data.read_mnist_folder(folder, "t10k")
        except data.DataError:
            test = None
        self._set(digits, test)
        self.changed.emit()

    def use_bundled(self):
        self._set(data.bundled())
        self.changed.emit()

    def evaluation_sets(self):
        """[(title, digits)] to evaluate on: the validation split, and the test set if imported."""
        sets = [("the validation split", self.validation)]
        if self.test is not None:
            sets.append(("the MNIST test set", self.test))
        return sets

    @property
    def summary(self):
        return f"{self.digits.name}: {len(self.train):,} for training, {len(self.validation):,} for validation"
