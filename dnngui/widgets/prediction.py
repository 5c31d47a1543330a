"""What the network thinks: the top guess, every class's probability, and the input it saw."""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from dnngui.core.shapes import SIDE
from dnngui.widgets.images import gray_image, signed_overlay
from dnngui.widgets.plots import cache_axes

NO_GUESS = "–"


class InputPreview(QtWidgets.QWidget):
    """The 28×28 the network actually classifies (after MNIST-style preprocessing)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("inputPreview")
        self.setFixedSize(SIDE * 4, SIDE * 4)
        self.setToolTip(
            "The network's input: your drawing cropped, scaled to 20 px and centred\n"
            "by its centre of mass, like every MNIST digit."
        )
        self.values = np.zeros((SIDE, SIDE), np.float32)
        self.overlay = None  # a signed (28, 28) array drawn over the input (the saliency), or None

    def set_overlay(self, values):
        if values is None and self.overlay is None:
            return  # nothing to remove: no repaint
        self.overlay = None if values is None else np.asarray(values).reshape(SIDE, SIDE).copy()
        self.update()

    def set_values(self, values):
        self.values = np.zeros((SIDE, SIDE), np.float32) if values is None else values.reshape(SIDE, SIDE).copy()
        self.update()

    def paintEvent(self, event):
        painter = QtGui.QPainter(self)
        painter.drawImage(self.rect(), gray_image(self.values))
        if self.overlay is not None:
            painter.drawImage(self.rect(), signed_overlay(self.overlay))
        painter.setPen(self.palette().mid().color())
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PredictionPanel(QtWidgets.QWidget):
    """The top guess in large type, its confidence, a bar per class, and the network input."""

    def __init__(self, classes, parent=None):
        super().__init__(parent)
        self.label = QtWidgets.QLabel(NO_GUESS)
        self.label.setObjectName("predictionLabel")
        self.label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSize(font.pointSize() * 5)
        font.setBold(True)
        self.label.setFont(font)
        self.label.setMinimumWidth(110)
        self.label.setToolTip("The network's guess")
        self.confidence = QtWidgets.QLabel("draw a digit")
        self.confidence.setObjectName("confidenceLabel")
        self.confidence.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)

        self.plot = pg.PlotWidget()
        self.plot.setObjectName("probabilityPlot")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setYRange(0, 1.05, padding=0)
        self.plot.setLabel("left", "probability")
        self.plot.getAxis("left").setTicks([[(0, "0"), (0.5, "0.5"), (1, "1")]])  # six labels crowd a short plot
        self.plot.setMinimumHeight(76)  # the window fits a 540-pixel-high screen (1080p at a scale of 2)
        self.plot.setToolTip("The output layer A(L): one probability per class, summing to 1")
        cache_axes(self.plot)  # redrawn on every pen move
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=pg.mkBrush(90, 160, 230))
        self.plot.addItem(self.bars)

        self.preview = InputPreview()
        preview_box = QtWidgets.QVBoxLayout()
        preview_box.addWidget(QtWidgets.QLabel("network input"), alignment=QtCore.Qt.AlignmentFlag.AlignHCenter)
        preview_box.addWidget(self.preview, alignment=QtCore.Qt.AlignmentFlag.AlignHCenter)
        preview_box.addStretch()

        guess = QtWidgets.QVBoxLayout()
        guess.addWidget(self.label)
        guess.addWidget(self.confidence)
        guess.addStretch()
        top = QtWidgets.QHBoxLayout()
        top.addLayout(guess, 1)
        top.addLayout(preview_box)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        self.set_classes(classes)

    def set_classes(self, classes):
        """Show one bar per class label (0–9, or 0 and 1)."""
        self.classes = [int(c) for c in classes]
        among = "0–9" if self.classes == list(range(10)) else " and ".join(map(str, self.classes))
        self._among = among
        self.confidence.setToolTip(
            f"The probability the network gives its guess. The output shares 100% among {among}: it must "
            "pick one of them and cannot say 'not a digit', so a square or a line still gets a confident guess."
        )
        x = np.arange(len(self.classes))
        self.bars.setOpts(x=x, height=np.zeros(len(x)))
        self.plot.getAxis("bottom").setTicks([[(i, str(c)) for i, c in enumerate(self.classes)]])
        self.plot.setXRange(-0.6, len(x) - 0.4, padding=0)
        self.show_prediction(None)

    def show_prediction(self, prediction):
        """Show a core.inference.Prediction, or no guess for None (a blank canvas)."""
        if prediction is None:
            self.label.setText(NO_GUESS)
            self.confidence.setText("draw a digit")
            self.bars.setOpts(height=np.zeros(len(self.classes)))
            self.preview.set_values(None)
            return
        self.label.setText(str(prediction.label))
        self.confidence.setText(f"P = {prediction.confidence:.0%} of {self._among}")
        self.bars.setOpts(height=prediction.probabilities)
        self.preview.set_values(prediction.x)

    @property
    def heights(self):
        """The bars' heights, as drawn."""
        return np.asarray(self.bars.opts["height"], dtype=float)
