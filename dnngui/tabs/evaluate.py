"""Evaluation: accuracy, a confusion matrix and the misclassified digits of a data set."""

import functools

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from dnngui.core import pen
from dnngui.core.evaluation import confusion_matrix, predict_digits
from dnngui.jobs.job import Background, WorksInTheBackground, is_heavy
from dnngui.state import settings
from dnngui.widgets import dialogs
from dnngui.widgets.gallery import add_digit, make_gallery

COUNT_MAP = pg.colormap.get("CET-L3")
LABEL_FILL = pg.mkBrush(255, 255, 255, 190)  # black on a pale patch reads on every colour, white cells too
MAX_GALLERY = 200
MATRIX_MIN_WIDTH = 280
PROMPT = "Click Evaluate to classify the chosen digits with the current model."


def _read(network, digits, control):
    """The job's work: every digit read by the network (core.evaluation.predict_digits)."""
    return predict_digits(network, digits)


class EvaluationView(WorksInTheBackground, QtWidgets.QWidget):
    """``evaluationView``: evaluate the current model on the validation split (or an imported
    MNIST test set); click a misclassified digit to load it into the canvas."""

    digit_chosen = QtCore.Signal(object)  # float (28, 28) in [0, 1]
    strokes_chosen = QtCore.Signal(object)  # a pen digit's strokes: [float (k, 2)] in canvas cells

    def __init__(self, state, data_source, parent=None):
        super().__init__(parent)
        self.setObjectName("evaluationView")
        self.state = state
        self.data_source = data_source
        self.counts = None
        self.wrong = []  # (image, true, predicted, index in the set) of the digits it gets wrong
        self._strokes = None
        self.evaluate_button = QtWidgets.QPushButton("Evaluate")
        self.evaluate_button.setObjectName("evaluateButton")
        self.evaluate_button.setToolTip("Classify every digit of the chosen set with the current model")
        self._background = Background(self, self.evaluate_button)  # a large network reads a set there
        self.source = QtWidgets.QComboBox()
        self.source.setToolTip("Which digits to evaluate on")
        self.accuracy = dialogs.plain_label(PROMPT)
        self.accuracy.setObjectName("accuracyLabel")
        font = self.accuracy.font()
        font.setPointSize(round(font.pointSize() * 1.3))
        self.accuracy.setFont(font)

        self.matrix_view = pg.PlotWidget()
        self.matrix_view.setObjectName("confusionMatrix")
        self.matrix_view.setLabel("left", "true digit")
        self.matrix_view.setLabel("bottom", "predicted digit")
        self.matrix_view.invertY(True)
        self.matrix_view.setAspectLocked(True)
        self.matrix_view.setMouseEnabled(x=False, y=False)
        self.matrix_view.hideButtons()
        self.matrix_view.setMenuEnabled(False)
        self.matrix_image = pg.ImageItem(axisOrder="row-major")
        self.matrix_image.setColorMap(COUNT_MAP)
        self.matrix_view.addItem(self.matrix_image)
        self.matrix_view.hide()  # until there is a matrix to show
        self.count_labels = []

        self.gallery = make_gallery(
            "misclassifiedGallery", 56, "Misclassified digits: true → predicted. Click one to load it into the canvas."
        )
        self.gallery.itemClicked.connect(self._on_item_clicked)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Digits"))
        top.addWidget(self.source, 1)
        top.addWidget(self.evaluate_button)
        self.matrix_view.setMinimumWidth(MATRIX_MIN_WIDTH)  # ten columns of counts, readable
        self.split = split = QtWidgets.QSplitter()
        split.setObjectName("evaluateSplitter")
        split.setHandleWidth(8)  # a handle one can see and grab
        split.setChildrenCollapsible(False)
        split.addWidget(self.matrix_view)
        gallery_box = QtWidgets.QWidget()
        gallery_layout = QtWidgets.QVBoxLayout(gallery_box)
        gallery_layout.setContentsMargins(0, 0, 0, 0)
        gallery_layout.addWidget(QtWidgets.QLabel("Misclassified (true → predicted)"))
        gallery_layout.addWidget(self.gallery)
        split.addWidget(gallery_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        saved = settings.read_bytes("evaluateSplitter")
        if saved is not None:
            split.restoreState(saved)
        split.splitterMoved.connect(lambda *_: settings.store().setValue("evaluateSplitter", split.saveState()))
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.accuracy)
        layout.addWidget(split, 1)

        self.evaluate_button.clicked.connect(self._on_evaluate_clicked)
        state.changed.connect(self.clear)  # results of another model would be stale
        data_source.changed.connect(self._update_sources)
        self._update_sources()

    def _update_sources(self):
        self.set_sources(self.data_source.evaluation_sets())

    def _on_evaluate_clicked(self):
        if self.job is not None:
            return
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            self.run(self.state.network)
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()

    def set_sources(self, sources):
        """``sources``: [(title, DigitSet, PenDigits or None)], the first chosen by default; a set
        with strokes (the held-out pen writers) replays a clicked digit on the canvas as it was written.
        Results of the sets before are cleared."""
        self.clear()
        self.sources = list(sources)
        self.source.clear()
        for title, digits, _ in self.sources:
            self.source.addItem(f"{title} · {len(digits):,} digits")

    def clear(self):
        """Forget the last results (the model or the data changed): nothing stale is shown."""
        self.counts = None
        self.wrong = []
        self.gallery.clear()
        self.matrix_view.hide()
        self.accuracy.setText(PROMPT)

    def run(self, network):
        """Evaluate ``network`` on the chosen digits and show the results: at once, or, for a network
        large enough to freeze the window (jobs.job.is_heavy), from a Job, the tab saying so meanwhile."""
        chosen = self.sources[self.source.currentIndex()]
        if not is_heavy(network, len(chosen[1])):
            self._show_results(network, chosen, predict_digits(network, chosen[1]))
            return
        self._background.start(
            functools.partial(_read, network, chosen[1]),
            functools.partial(self._on_read, network, chosen),
            lambda message: self.accuracy.setText(f"Evaluation failed: {message}."),
        )
        self.accuracy.setText(f"Reading {len(chosen[1]):,} digits of {chosen[0]} with {network.n_params:,} weights…")

    def _on_read(self, network, chosen, result):
        if network is self.state.network and chosen in self.sources:  # not stale: the same model and data
            self._show_results(network, chosen, result)
        else:
            self.clear()

    def _show_results(self, network, chosen, result):
        title, digits, strokes = chosen
        self._strokes = strokes
        true_idx, predicted, images = result
        kept = np.flatnonzero(np.isin(digits.labels, network.classes))
        classes = [int(c) for c in network.classes]
        self.counts = confusion_matrix(true_idx, predicted, len(classes))
        total = int(self.counts.sum())
        right = int(np.trace(self.counts))
        self.accuracy.setText(f"Accuracy on {title}: {right / max(total, 1):.2%} ({right:,} of {total:,} right)")
        self._show_matrix(classes)
        self.matrix_view.show()
        wrong = np.flatnonzero(true_idx != predicted)
        self.wrong = [(images[i], classes[true_idx[i]], classes[predicted[i]], kept[i]) for i in wrong[:MAX_GALLERY]]
        self._show_gallery(len(wrong))

    def _show_matrix(self, classes):
        counts = self.counts
        shown = np.log1p(counts)  # the diagonal would drown the mistakes on a linear scale
        self.matrix_image.setImage(shown, levels=(0, max(shown.max(), 1e-6)))
        for label in self.count_labels:
            self.matrix_view.removeItem(label)
        self.count_labels = []
        for (r, c), n in np.ndenumerate(counts):
            label = pg.TextItem(str(n), color="k", fill=LABEL_FILL, anchor=(0.5, 0.5))
            label.setPos(c + 0.5, r + 0.5)
            self.matrix_view.addItem(label)
            self.count_labels.append(label)
        ticks = [[(i + 0.5, str(c)) for i, c in enumerate(classes)]]
        self.matrix_view.getAxis("bottom").setTicks(ticks)
        self.matrix_view.getAxis("left").setTicks(ticks)
        self.matrix_view.autoRange(padding=0.02)

    def _show_gallery(self, n_wrong):
        self.gallery.clear()
        action = "replay it on the canvas as it was written" if self._strokes is not None else "load it into the canvas"
        for image, true, predicted, _ in self.wrong:
            tooltip = f"a {true} the network reads as {predicted}; click to {action}"
            add_digit(self.gallery, image, f"{true} → {predicted}", tooltip)
        if n_wrong > len(self.wrong):
            self.accuracy.setText(self.accuracy.text() + f"; the first {len(self.wrong)} mistakes are shown")

    def _on_item_clicked(self, item):
        """The mistake onto the canvas (replayed if it has strokes); this tab stays, for the next one."""
        image, true, predicted, index = self.wrong[self.gallery.row(item)]
        if self._strokes is not None:
            self.strokes_chosen.emit(pen.canvas_strokes(self._strokes, index))
        else:
            self.digit_chosen.emit(image / 255.0)
        if isinstance(self.window(), QtWidgets.QMainWindow):
            self.window().statusBar().showMessage(
                f"On the canvas: a {true} the network reads as {predicted}. Inside (Alt+2) shows its layers; "
                "Ctrl+Z gives back your drawing.",
                8000,
            )
