"""Which digits the app trains and evaluates on: the bundled ones, or an imported set."""

from PySide6 import QtCore

from dnngui.core import corpus, data
from dnngui.core.unipen import read_unipen

IMPORTED = "imported"


class DataSource(QtCore.QObject):
    """The corpus in use (core.corpus.Corpus) and how it was chosen. ``changed`` fires when it changes.

    ``choice`` is one of core.corpus.CHOICES, or IMPORTED after an import; the
    imported corpus stays available when the choice goes back to a bundled one.
    """

    changed = QtCore.Signal()

    def __init__(self, choice=corpus.DEFAULT):
        super().__init__()
        self.imported = None
        self.imported_from = None  # (kind, path) of the imported set: ("mnist", folder) or ("pen", file)
        self.test = None  # an imported MNIST test set (t10k), if there is one
        self.choice = choice
        self.corpus = corpus.load(choice)

    def restore(self, choice, imported_from):
        """Use what a person used last time; DataError (the bundled data stay in use) if the import fails again."""
        if imported_from is not None:
            kind, path = imported_from
            (self.import_folder if kind == "mnist" else self.import_pen)(path)
        if choice in corpus.CHOICES or (choice == IMPORTED and self.imported is not None):
            self.use(choice)

    @property
    def choices(self):
        """[(choice, title)] a person can pick from."""
        items = list(corpus.CHOICES.items())
        if self.imported is not None:
            items.append((IMPORTED, f"imported: {self.imported.name}"))
        return items

    def use(self, choice):
        """Train on one of ``choices``; nothing happens for the one in use."""
        if choice == self.choice:
            return
        self.corpus = self.imported if choice == IMPORTED else corpus.load(choice)
        self.choice = choice
        self.changed.emit()

    def use_bundled(self):
        """Back to the bundled digits, for training and evaluation: an imported test set goes too (the
        imported training set stays one of the ``choices``)."""
        if self.test is not None:
            self.test = None
            if self.choice == corpus.DEFAULT:
                self.changed.emit()
        self.use(corpus.DEFAULT)

    def import_folder(self, folder):
        """Use the MNIST training set in ``folder`` (and its t10k test set, if present); a folder with only
        a test set adds it for evaluation and keeps the training data. DataError leaves the data in place."""
        if not data.has_mnist_set(folder, "train") and data.has_mnist_set(folder, "t10k"):
            self.test = data.read_mnist_folder(folder, "t10k")
            self.changed.emit()
            return
        digits = data.read_mnist_folder(folder, "train")
        test = data.read_mnist_folder(folder, "t10k") if data.has_mnist_set(folder, "t10k") else None
        self._use_imported(corpus.from_parts(digits.name, images=digits), test, ("mnist", str(folder)))

    def import_pen(self, path):
        """Use the pen-drawn digits of a .unipen[.gz] file; DataError leaves the current data in place."""
        strokes = read_unipen(path)
        self._use_imported(corpus.from_parts(strokes.name, strokes=strokes), None, ("pen", str(path)))

    def _use_imported(self, imported, test, source):
        self.imported, self.test, self.imported_from = imported, test, source
        self.corpus, self.choice = imported, IMPORTED
        self.changed.emit()

    @property
    def validation(self):
        """The first validation set: the scanned digits' when there are any."""
        return self.corpus.validation[0]

    def evaluation_sets(self):
        """[(title, digits, strokes or None)] to evaluate on: each validation set, and the test set if imported.

        ``strokes`` are the pen digits the images were drawn from, for replaying them on the canvas.
        """
        sets = [(v.name, v, getattr(v, "strokes", None)) for v in self.corpus.validation]
        if self.test is not None:
            sets.append(("the MNIST test set", self.test, None))
        return sets

    def count(self, task):
        """How many training digits ``task`` (a core.tasks.Task) has here."""
        images = 0 if self.corpus.images is None else task.count(self.corpus.images)
        strokes = 0 if self.corpus.pen is None else task.count(self.corpus.pen)
        return images + strokes

    @property
    def summary(self):
        return self.corpus.summary
