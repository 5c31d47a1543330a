"""Which digits the app trains and evaluates on: the bundled set or an imported MNIST folder."""

from PySide6 import QtCore

from core import data


class DataSource(QtCore.QObject):
    """The digits in use, split once into train and validation. ``changed`` fires on import."""

    changed = QtCore.Signal()

    def __init__(self, digits=None):
        super().__init__()
        self._set(digits or data.bundled())

    def _set(self, digits):
        self.digits = digits
        self.train, self.validation = data.split(digits)

    def import_folder(self, folder):
        """Use the MNIST training set in ``folder``; DataError leaves the current data in place."""
        self._set(data.read_mnist_folder(folder, "train"))
        self.changed.emit()

    def use_bundled(self):
        self._set(data.bundled())
        self.changed.emit()

    @property
    def summary(self):
        return f"{self.digits.name}: {len(self.train):,} for training, {len(self.validation):,} for validation"
