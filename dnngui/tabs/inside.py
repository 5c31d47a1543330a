"""Inside the network: each layer's shapes, its activations for the drawing, the first layer's weights."""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from dnngui.core import activations
from dnngui.core.shapes import PIXELS, SIDE
from dnngui.noqt.mosaic import StickyLevels, tiles, unit_grid
from dnngui.widgets.plots import cache_axes, cache_still

ACTIVATION_MAP = pg.colormap.get("CET-L3")  # dark to bright, like ink
WEIGHTS_DELAY_MS = 20
LABEL_FILL = pg.mkBrush(255, 255, 255, 190)  # black text on a pale patch reads on every colour of the map
WEIGHT_MAP = pg.colormap.get("CET-D1")  # diverging: negative blue, zero white, positive red


def layer_rows(network):
    """(layer, W shape, b shape, activation, parameters) per layer, then the total."""
    rows = []
    L = network.depth
    for l in range(1, L + 1):
        W, b = network.params[f"W{l}"], network.params[f"b{l}"]
        f = network.output.name if l == L else network.activation_names[l - 1]
        rows.append((f"{l}", f"W{l} {W.shape}", f"b{l} {b.shape}", activations.title(f), f"{W.size + b.size:,}"))
    rows.append(("total", "", "", "", f"{network.n_params:,}"))
    return rows


class _Heatmap:
    """One layer's values as an image in a view box, with a colour bar."""

    def __init__(self, layout, title, row):
        self.label = layout.addLabel(title, row=row, col=0)
        self.view = layout.addViewBox(row=row, col=1, lockAspect=True, enableMouse=False, invertY=True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(ACTIVATION_MAP)
        self.view.addItem(self.image)
        self.bar = pg.ColorBarItem(colorMap=ACTIVATION_MAP, width=12, interactive=False)
        self.bar.setImageItem(self.image)
        cache_still(self.label, self.bar)
        layout.addItem(self.bar, row=row, col=2)
        self.cell_labels = []
        self.levels = StickyLevels()
        self.shape = None

    def label_cells(self, names):
        """Write a name in each cell of a one-row image (the output layer's classes)."""
        if [item.textItem.toPlainText() for item in self.cell_labels] == [str(n) for n in names]:
            return
        for item in self.cell_labels:
            self.view.removeItem(item)
        self.cell_labels = []
        for i, name in enumerate(names):
            item = pg.TextItem(str(name), color="k", fill=LABEL_FILL, anchor=(0.5, 0.5))
            item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
            item.setPos(i + 0.5, 0.5)
            self.view.addItem(item)
            self.cell_labels.append(item)

    def show(self, grid):
        """Show ``grid``; the colour bar's levels and the view's range change only when they must
        (each change redraws an axis: milliseconds of the UI thread, many times a second in training)."""
        finite = grid[np.isfinite(grid)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        levels, changed = self.levels.update(low, high)
        self.image.setImage(np.nan_to_num(grid, nan=levels[0]), autoLevels=False, levels=levels)
        if changed:
            self.bar.setLevels(levels)
        if grid.shape != self.shape:
            self.shape = grid.shape
            self.view.autoRange(padding=0.02)


class LayerPanel(QtWidgets.QWidget):
    """``layerPanel``: a table of W(l) and b(l) shapes, heatmaps of A(l) (or Z(l)) for the
    drawing, and the first layer's weights as one 28×28 tile per hidden unit.

    It follows the model state itself; while training runs, the window shows it
    the weights as they are learned (``set_network``) and the drawing (``show_input``)."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("layerPanel")
        network = state.network
        self.network = None
        self.x = None
        self.heatmaps = []
        self._weights_changed = 0  # counts set_network calls, so the heatmaps are not redrawn for nothing
        self._shown = None  # what the heatmaps show: (weights, drawing, Z or A)
        self._weight_levels = StickyLevels(symmetric=True)
        self._weight_shape = None
        self._rows = None  # what the table shows
        self._built_for = None  # the layer sizes the heatmaps were made for
        self._hidden_change = False  # the network changed while the panel was hidden
        # while training, the weight tiles are redrawn a frame after the heatmaps: two short stops, not one long
        self._weights_later = QtCore.QTimer(self)
        self._weights_later.setSingleShot(True)
        self._weights_later.setInterval(WEIGHTS_DELAY_MS)
        self._weights_later.timeout.connect(self._update_weights)
        self.table = QtWidgets.QTableWidget(0, 5)
        self.table.setObjectName("layerTable")
        self.table.setHorizontalHeaderLabels(["layer", "weights", "biases", "activation", "parameters"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(170)
        self.show_z = QtWidgets.QCheckBox("show Z(l) = W·A + b, before the activation")
        self.show_z.setToolTip("Switch the heatmaps between A(l) = f(Z(l)) and Z(l)")
        self.show_z.toggled.connect(self._update_heatmaps)
        self.activation_view = pg.GraphicsLayoutWidget()
        self.activation_view.setObjectName("activationView")
        self.activation_view.setToolTip("Each layer's units for the drawing on the canvas, in a near-square grid")
        self.weight_view = pg.GraphicsLayoutWidget()
        self.weight_view.setObjectName("weightTiles")
        self.weight_view.setToolTip(
            "W1: one 28×28 tile per hidden unit, its weight on each pixel (red +, blue −).\n"
            "Scroll to zoom, drag to pan."
        )
        self.weight_box = self.weight_view.addViewBox(row=0, col=0, lockAspect=True, invertY=True)
        self.weight_image = pg.ImageItem(axisOrder="row-major")
        self.weight_image.setColorMap(WEIGHT_MAP)
        self.weight_box.addItem(self.weight_image)
        self.weight_bar = pg.ColorBarItem(colorMap=WEIGHT_MAP, width=12, interactive=False)
        self.weight_bar.setImageItem(self.weight_image)
        cache_axes(self.weight_bar)
        self.weight_view.addItem(self.weight_bar, row=0, col=1)

        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        left = QtWidgets.QWidget()
        left_box = QtWidgets.QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(QtWidgets.QLabel("Activations for your drawing"))
        left_box.addWidget(self.show_z)
        left_box.addWidget(self.activation_view, 1)
        right = QtWidgets.QWidget()
        right_box = QtWidgets.QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(QtWidgets.QLabel("First layer's weights: what each unit looks for"))
        right_box.addWidget(self.weight_view, 1)
        split.addWidget(left)
        split.addWidget(right)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(split, 1)
        self.set_network(network)
        state.changed.connect(lambda: self.set_network(state.network))  # training snapshots come from the window

    def set_network(self, network, soon=False):
        """Show ``network``: rebuilt when its shape changes, refreshed when only its weights do.

        ``soon``: the weight tiles may wait a frame (training snapshots, many a second).
        A hidden panel only remembers the network, and draws it when shown (startup, other tabs)."""
        self.network = network
        self._weights_changed += 1
        self._update_table()
        self._hidden_change = not self.isVisible()
        if self._hidden_change:
            return
        reshaped = self._built_for != network.sizes
        if reshaped:
            self._build_heatmaps()
        if soon and not reshaped:
            self._weights_later.start()
        else:
            self._weights_later.stop()
            self._update_weights()
        self._update_heatmaps()

    def showEvent(self, event):
        super().showEvent(event)
        if self._hidden_change:
            self.set_network(self.network)

    def show_input(self, x):
        """The network input (784,) of the drawing, or None for a blank canvas."""
        x = None if x is None else np.asarray(x, np.float32).reshape(-1, 1)
        if (x is None and self.x is None) or (x is not None and self.x is not None and np.array_equal(x, self.x)):
            return  # the same drawing: set_network has already shown it with the latest weights
        self.x = x
        self._update_heatmaps()

    def _update_table(self):
        rows = layer_rows(self.network)
        if rows == self._rows:
            return  # the same shapes: the table would only repaint
        self._rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem(text))

    def _build_heatmaps(self):
        self._built_for = self.network.sizes
        self._shown = None
        self.activation_view.clear()
        L = self.network.depth
        titles = ["X (input)"] + [f"A{l}" for l in range(1, L)] + [f"A{L} (output)"]
        self.heatmaps = [_Heatmap(self.activation_view, title, row) for row, title in enumerate(titles)]
        self.heatmaps[-1].label_cells(self._output_names())

    def _output_names(self):
        classes = [int(c) for c in self.network.classes]
        return classes if self.network.output.name == "softmax" else [f"P({classes[1]})"]

    def _update_heatmaps(self):
        if not self.heatmaps:
            return
        L = self.network.depth
        use_z = self.show_z.isChecked()
        shown = (self._weights_changed, None if self.x is None else self.x.tobytes(), use_z)
        if shown == self._shown:
            return
        self._shown = shown
        if self.x is None:
            grids = [np.zeros((SIDE, SIDE))] + [unit_grid(np.zeros(n)) for n in self.network.sizes[1:]]
        else:
            forward = self.network.forward(self.x)
            grids = [self.x.reshape(SIDE, SIDE)]
            for l in range(1, L + 1):
                values = forward.Z[l] if use_z else forward.A[l]
                if l == L and not use_z:
                    values = self.network.output.probabilities(forward.A[l])
                grids.append(values.reshape(1, -1) if l == L else unit_grid(values))
        for l, (heatmap, grid) in enumerate(zip(self.heatmaps, grids, strict=True)):
            title = f"{'Z' if use_z else 'A'}{l}{' (output)' if l == L else ''}"
            if l > 0 and heatmap.label.text != title:  # a new title is laid out anew: milliseconds
                heatmap.label.setText(title)
            heatmap.show(np.asarray(grid, float))
        names = self._output_names()
        if use_z or self.network.output.name == "softmax":
            self.heatmaps[-1].label_cells(names)
        else:  # a sigmoid's A shows both classes' probabilities
            self.heatmaps[-1].label_cells([int(c) for c in self.network.classes])

    def _update_weights(self):
        W1 = self.network.params["W1"]
        if W1.shape[1] != PIXELS:
            return
        mosaic = tiles(W1.reshape(-1, SIDE, SIDE), fill=0.0)
        # a few outliers would wash out the rest; every 7th weight says where the 99.5th percentile is
        limit = float(np.percentile(np.abs(W1.reshape(-1)[::7]), 99.5)) or 1.0
        levels, changed = self._weight_levels.update(-limit, limit)  # symmetric: white is zero
        self.weight_image.setImage(mosaic, autoLevels=False, levels=levels)
        if changed:
            self.weight_bar.setLevels(levels)
        if mosaic.shape != self._weight_shape:
            self._weight_shape = mosaic.shape
            self.weight_box.autoRange(padding=0.01)

    @property
    def weight_mosaic(self):
        return self.weight_image.image
