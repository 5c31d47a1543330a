"""The Step tab: one step of backprop on your own drawing, with the real numbers, and why it thinks so.

Draw a digit, pick what it is, and "Teach one step": the forward pass layer by
layer, the cost, dZ(L) = A(L) − Y as ten signed bars, then dW(l) and db(l)
going backwards, and the probabilities before and after W ← W − α·dW. Hover
over a picture for its numbers. "Why" shows the saliency, −∂J/∂X for a class,
over the network input and the canvas; "Nudge" follows it until the guess flips.
"""

import functools

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from dnngui.core import step
from dnngui.core.shapes import SIDE
from dnngui.jobs.job import Background, WorksInTheBackground, is_heavy
from dnngui.noqt.mosaic import unit_grid
from dnngui.widgets import dialogs
from dnngui.widgets.plots import cache_axes

DIVERGING = pg.colormap.get("CET-D1")  # blue below zero, red above: signs stay readable
ACTIVATION = pg.colormap.get("CET-L3")
BEFORE, AFTER = (150, 150, 150), (30, 110, 230)


FIRST_LR = 0.001  # the first step's α: a visible change in P(k) on a drawing, not a leap to certainty
SHOWN = 160  # the most entries a picture draws along a side: dW1 has 512 × 784


def _shrink(values):
    """The array averaged in blocks so that neither side exceeds SHOWN (what a screen can show anyway).

    Summed in place block by block (no padded copy: a 4096 × 4096 dW took 0.2 s a picture to pad)."""
    rows, cols = values.shape
    fy, fx = -(-rows // SHOWN), -(-cols // SHOWN)
    if fy == 1 and fx == 1:
        return values
    starts_y, starts_x = np.arange(0, rows, fy), np.arange(0, cols, fx)
    across = np.add.reduceat(values, starts_x, axis=1)  # along the rows first: contiguous, ten times faster
    sums = np.add.reduceat(across.astype(float), starts_y, axis=0)
    counts = np.outer(np.diff(starts_y, append=rows), np.diff(starts_x, append=cols))
    return sums / counts


class _Picture:
    """A titled image in the layout; ``values`` kept for the hover read-out."""

    def __init__(self, layout, row, col, title, colormap, symmetric):
        self.title = layout.addLabel(title, row=row, col=col)
        self.view = layout.addViewBox(row=row + 1, col=col, lockAspect=True, enableMouse=False, invertY=True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(colormap)
        self.view.addItem(self.image)
        self.symmetric = symmetric
        self.values = None
        self.name = title
        self.classes = None  # for the output layer's (classes, 1) arrays: a row, one cell per class

    def for_classes(self, classes):
        """Show (n, 1) arrays as one row, a cell per class in order, the hover naming the class."""
        self.classes = [int(c) for c in classes]
        if len(self.classes) == 1:  # a sigmoid's one unit: the probability of the second class
            self.title.setText(f"{self.title.text} · for class {self.classes[0]}")
        else:
            self.title.setText(f"{self.title.text} · classes {self.classes[0]} … {self.classes[-1]}, left to right")

    def show(self, values, title=None, name=None):
        self.values = np.asarray(values)  # float32 as computed: a float64 copy of a large dW costs the window
        if self.classes is not None:
            self.values = self.values.reshape(1, -1)
        shown = _shrink(self.values)  # block means: small, and NaN only where the unit grid has no unit
        if np.isnan(shown).all():
            low, high = 0.0, 1.0
        elif self.symmetric:
            top = float(np.nanmax(np.abs(self.values)))
            low, high = -top, top
        else:
            low, high = float(np.nanmin(self.values)), float(np.nanmax(self.values))
        shape_changed = self.image.image is None or self.image.image.shape != shown.shape
        empty = 0.0 if self.symmetric else low  # cells with no unit: neutral on a diverging map, dark otherwise
        self.image.setImage(np.nan_to_num(shown, nan=empty), levels=(low, high if high > low else low + 1e-9))
        if shape_changed:  # re-ranging a view redraws it: only when the picture's shape is new
            rows, cols = self.values.shape
            self.image.setRect(QtCore.QRectF(0, 0, cols, rows))  # the view's units stay the array's entries
            self.view.autoRange(padding=0.02)
        if title is not None:
            self.title.setText(title)
        self.name = name or self.name

    def value_at(self, scene_pos):
        """(row, col, value) under a scene position, or None."""
        if self.values is None or not self.image.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        r, c = int(point.y()), int(point.x())
        if 0 <= r < self.values.shape[0] and 0 <= c < self.values.shape[1]:
            return r, c, self.values[r, c]
        return None

    def hover_text(self, found):
        r, c, value = found
        if self.classes is not None and c < len(self.classes):
            return f"{self.name} for class {self.classes[c]} = {value:+.6g}"
        return f"{self.name}[{r}, {c}] = {value:+.6g}"


# A step copies and updates every weight a few times: for the window's thread, as costly as reading this many digits
STEP_COST_IN_DIGITS = 20


def _step(network, x, k, lr, control):
    """The job's work: one step of gradient descent on a copy of ``network`` (core.step.one_step)."""
    return step.one_step(network, x, k, lr)


class StepView(WorksInTheBackground, QtWidgets.QWidget):
    """``stepView``: one step of gradient descent on the drawing (m = 1), every number shown.

    ``input`` is the drawing as the network reads it (set by the window as the pen
    moves). Steps change a copy of the model: "Undo steps" returns to the model as
    it was before the first, "Keep as model" makes the stepped weights the model
    (unsaved, with Revert to Model Before Training, as after training).
    """

    nudged = QtCore.Signal(object)  # a nudged drawing (28, 28) to put on the canvas
    why_changed = QtCore.Signal()  # the saliency settings changed: the window redraws the overlays
    stepped = QtCore.Signal()  # the stepped copy changed (a step, Undo, Keep): the guess beside follows it

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("stepView")
        self.state = state
        self.x = None
        self.drawing = None
        self.record = None
        self.original = None  # the model before the first step
        self.network = None  # the stepped copy
        self.steps = 0
        self.nudge_path = []
        self.pictures = {}
        self.nudge_picture = None
        self._figures_of = None  # the drawing the step's and the nudge's figures were made from
        self._chosen = set()  # the boxes ("target", "why") the person chose a digit in for this drawing
        self._laid_out = False  # the pictures fit the model; if not, they are laid out when the tab shows
        self._guessing = False  # the boxes are being set to the guess, not by the person
        self._build_step_controls()
        self._build_why_controls()
        self._build_labels()
        self._build_layout()
        self._connect()
        state.changed.connect(self._on_model_changed)
        self._on_model_changed()

    def _build_step_controls(self):
        self.target = QtWidgets.QComboBox()
        self.target.setToolTip(
            "The digit you say the drawing is: Y = one-hot(k). It starts at the network's guess; "
            "choose another to teach it that"
        )
        self.lr = QtWidgets.QDoubleSpinBox()
        self.lr.setDecimals(4)
        self.lr.setRange(0.0001, 5.0)
        self.lr.setSingleStep(0.001)
        # m = 1 and a confident wrong guess make dZ(L) large: at 0.01 one step took P(k) from 0 to 100%
        self.lr.setValue(FIRST_LR)
        self.lr.setToolTip("α in W ← W − α·dW: how far this one step moves every weight")
        self.step_button = QtWidgets.QPushButton("Teach one step")
        self.step_button.setObjectName("stepButton")
        self.step_button.setShortcut("Ctrl+Return")
        self.step_button.setToolTip("One step of gradient descent on this drawing as the chosen digit (Ctrl+Enter)")
        self._background = Background(self, self.step_button)  # a step of a large network is taken there
        self.undo_button = QtWidgets.QPushButton("Undo steps")
        self.undo_button.setToolTip("Back to the model as it was before the first step")
        self.keep_button = QtWidgets.QPushButton("Keep as model")
        self.keep_button.setToolTip("Make the stepped weights the model (Model ▸ Save to keep them)")

    def _build_why_controls(self):
        self.why = QtWidgets.QCheckBox("Why")
        self.why.setObjectName("whyToggle")
        self.why.setToolTip(
            "Show the saliency −∂J/∂X over the network input and the canvas: blue where more ink would raise "
            "P(k), orange where it would lower it. It follows your pen."
        )
        self.why_class = QtWidgets.QComboBox()
        self.why_class.setToolTip("k: why this digit (it starts at the network's guess)")
        self.why_against = QtWidgets.QComboBox()
        self.why_against.setToolTip("…and not this one: the difference of the two saliencies")
        self.nudge_button = QtWidgets.QPushButton("Nudge")
        self.nudge_button.setToolTip(
            "Move the input in small steps along the gradient (the fast gradient sign method, 0.02 a step) "
            "until the network reads it as k: how small a change flips the guess"
        )
        self.use_nudged = QtWidgets.QPushButton("Put on canvas")
        self.use_nudged.setToolTip("Draw the nudged input on the canvas, to look at it in the Inside tab")

    def _build_labels(self):
        self.status = dialogs.plain_label("Draw a digit, choose what it is, and teach the network one step.")
        self.status.setObjectName("stepStatus")
        self.status.setWordWrap(True)
        self.norms = dialogs.plain_label(" ")
        self.norms.setObjectName("stepNorms")
        self.norms.setToolTip(
            "The size of each gradient, ‖dW(l)‖ (Frobenius norm): how hard this step pulls each layer"
        )
        self.hover = dialogs.plain_label(" ")
        self.hover.setObjectName("stepHover")

    def _build_layout(self):
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("This is a"))
        top.addWidget(self.target)
        top.addWidget(QtWidgets.QLabel("α"))
        top.addWidget(self.lr)
        top.addWidget(self.step_button)
        top.addWidget(self.undo_button)
        top.addWidget(self.keep_button)
        top.addStretch()
        why = QtWidgets.QHBoxLayout()
        why.addWidget(self.why)
        why.addWidget(self.why_class)
        why.addWidget(QtWidgets.QLabel("and not"))
        why.addWidget(self.why_against)
        why.addWidget(self.nudge_button)
        why.addWidget(self.use_nudged)
        why.addStretch()
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setObjectName("stepPlots")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(why)
        layout.addWidget(self.status)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.norms)
        layout.addWidget(self.hover)
        # Text that changes with every step must not resize the pictures: a relayout repaints them all.
        line = self.fontMetrics().lineSpacing()
        for label, lines in ((self.status, 2), (self.norms, 1), (self.hover, 1)):
            label.setFixedHeight(lines * line + 4)
            label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)

    def _connect(self):
        self.step_button.clicked.connect(self.teach_one_step)
        self.undo_button.clicked.connect(self.undo_steps)
        self.keep_button.clicked.connect(self.keep)
        self.nudge_button.clicked.connect(self.nudge)
        self.target.currentIndexChanged.connect(lambda: self._guessing or self._chosen.add("target"))
        self.why_class.currentIndexChanged.connect(lambda: self._guessing or self._chosen.add("why"))
        self.use_nudged.clicked.connect(self._on_use_nudged)
        for signal in (self.why.toggled, self.why_class.currentIndexChanged, self.why_against.currentIndexChanged):
            signal.connect(self.why_changed)
        self.plots.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # ------------------------------------------------------------- model
    @property
    def current(self):
        """The network the tab shows: the stepped copy, or the model."""
        return self.network or self.state.network

    def _on_model_changed(self):
        if self.network is not None and self.state.network is self.original:
            return
        self.original = self.network = self.record = None
        self.steps = 0
        classes = [str(int(c)) for c in self.state.network.classes]
        for box in (self.target, self.why_class):
            box.blockSignals(True)
            box.clear()
            box.addItems(classes)
            box.blockSignals(False)
        self.why_against.blockSignals(True)
        self.why_against.clear()
        self.why_against.addItem("—", None)
        for k, name in enumerate(classes):
            self.why_against.addItem(name, k)
        self.why_against.blockSignals(False)
        self._chosen.clear()  # another model's guess to start from
        self._laid_out = False  # the pictures show the model before: laid out afresh
        if self.isVisible():
            self._ensure_plots()
        self._update_buttons()

    def showEvent(self, event):
        super().showEvent(event)
        self._ensure_plots()

    def _ensure_plots(self):
        """Lay the pictures out for the model once it changed: a few dozen plots, so not before they are seen."""
        if not self._laid_out:
            self._build_plots()

    def _update_buttons(self):
        self.undo_button.setEnabled(self.steps > 0)
        self.keep_button.setEnabled(self.steps > 0)
        self.use_nudged.setEnabled(bool(self.nudge_path))

    def set_input(self, x, drawing=None, guess=None):
        """The drawing as the network reads it, (784,), or None for a blank canvas; and the drawing itself.

        "This is a" and Why start at the network's guess until the person picks a digit; figures
        of another drawing (a step's norms, a nudged drawing) are cleared, never offered for this one.
        ``guess``: the class index the window read ``x`` as (else it is worked out here)."""
        self.x = None if x is None else np.asarray(x, np.float32).reshape(-1)
        self.drawing = None if drawing is None else np.array(drawing, np.float32)
        self.step_button.setEnabled(self.x is not None)
        self.nudge_button.setEnabled(self.x is not None)
        if self.x is None:
            self._chosen.clear()
        else:
            if guess is None:
                guess = int(np.argmax(self.current.predict_proba(self.x.reshape(-1, 1))[:, 0]))
            self._guessing = True
            for name, box in (("target", self.target), ("why", self.why_class)):
                if name not in self._chosen and box.currentIndex() != guess:
                    box.setCurrentIndex(guess)
            self._guessing = False
        if self._figures_of is not None and (
            self.drawing is None or not np.array_equal(self.drawing, self._figures_of)
        ):
            self._clear_figures()

    def _clear_figures(self):
        """Forget the numbers shown for a drawing that is no longer on the canvas."""
        self._figures_of = None
        self.nudge_path = []
        self.norms.setText(" ")
        self.hover.setText(" ")
        for bars in (self.delta_bars, self.before_bars, self.after_bars) if self.pictures else ():
            bars.setOpts(x=[], height=[])
        if self.nudge_picture is not None:
            self.nudge_picture.show(np.zeros((SIDE, SIDE)), title="nudged drawing", name="nudged drawing")
        self._update_buttons()

    # -------------------------------------------------------------- steps
    def teach_one_step(self):
        if self.x is None:
            self.status.setText("Draw a digit first.")
            return None
        if self._background.job is not None:
            return None
        k, network, lr = self.target.currentIndex(), self.current, self.lr.value()
        if is_heavy(network, STEP_COST_IN_DIGITS):
            self._background.start(
                functools.partial(_step, network, self.x, k, lr),
                functools.partial(self._on_stepped, network, k),
                lambda message: self.status.setText(f"The step failed: {message}."),
            )
            self.status.setText(f"Taking one step on {network.n_params:,} weights…")
            return None
        return self._on_stepped(network, k, step.one_step(network, self.x, k, lr))

    def _on_stepped(self, network, k, result):
        """Show the step ``result`` (record, stepped copy) taken from ``network`` for class index k."""
        if network is not self.current:  # the model changed, or the steps were undone, meanwhile
            self.status.setText("The model changed during the step: teach it again to step this one.")
            return None
        if self.network is None:
            self.original = self.state.network
        self.record, self.network = result
        self.steps += 1
        self._figures_of = self.drawing
        self._show(self.record)
        name = self.target.currentText()
        before, after = self.record.before[k], self.record.after[k]
        self.status.setText(
            f"Step {self.steps}: J = {self.record.cost:.4f}; P({name}) went from {before:.1%} to {after:.1%} "
            f"with α = {self.record.lr:g}. The guess beside the canvas is the stepped network's until you "
            "undo the steps or keep them."
        )
        self._update_buttons()
        self.stepped.emit()  # the guess, and the saliency if Why is on, are the stepped network's now
        return self.record

    def undo_steps(self):
        self.original = self.network = self.record = None
        self.steps = 0
        self.status.setText("Back to the model as it was before the first step.")
        self._clear_figures()  # the undone step's probabilities and norms
        self.stepped.emit()

    def keep(self):
        if self.network is None:
            return
        kept = self.network
        self.original = self.network = None
        self.steps = 0
        self.state.replace(kept)
        self.status.setText("The stepped weights are now the model (Model ▸ Save to keep them).")
        self.stepped.emit()

    # ------------------------------------------------------------ why
    def saliency(self, x=None):
        """−∂J/∂X (784,) for the chosen class (less the 'and not' class's), or None when Why is off."""
        x = self.x if x is None else x
        if not self.why.isChecked() or x is None:
            return None
        return step.saliency(self.current, x, self.why_class.currentIndex(), self.why_against.currentData())

    def nudge(self):
        if self.x is None or self.drawing is None:
            return
        k = self.why_class.currentIndex()
        net = self.current
        nudged = step.nudge(net, self.drawing, k, steps=40, size=0.02)
        self.nudge_path = nudged.path
        if not self.nudge_path:  # nothing to move: the drawing reads as no digit
            return
        last = self.nudge_path[-1]
        change = float(np.abs(last - self.drawing).max())
        name = self.why_class.currentText()
        self._ensure_plots()
        self.status.setText(
            f"Nudged {len(self.nudge_path)} steps of 0.02 (no pixel moved more than {change:.2f}): the network "
            + (f"now reads a {name}." if nudged.read else f"still does not read a {name}.")
        )
        self.nudge_picture.show(last, title=f"nudged towards {name}", name="nudged drawing")
        self._figures_of = self.drawing
        self._update_buttons()

    def _on_use_nudged(self):
        if self.nudge_path:
            self.nudged.emit(self.nudge_path[-1].copy())

    # --------------------------------------------------------- pictures
    def _build_plots(self):
        self.plots.clear()
        net = self.state.network
        self._laid_out = True
        L = net.depth
        self.pictures = {}
        self.plots.addLabel("Forward: Z(l) = W(l)·A(l−1) + b(l), A(l) = f(Z(l))", row=0, col=0, colspan=L + 1)
        self.pictures["A0"] = _Picture(self.plots, 1, 0, "A0 = X (28, 28)", ACTIVATION, False)
        for l in range(1, L + 1):
            self.pictures[f"A{l}"] = _Picture(self.plots, 1, l, f"A{l} ({net.sizes[l]}, 1)", ACTIVATION, False)
        self.plots.addLabel(
            "Backward: dZ(L) = A(L) − Y;  dW(l) = dZ(l)·A(l−1)ᵀ / m;  db(l) = Σ dZ(l) / m;  "
            "dZ(l−1) = (W(l)ᵀ·dZ(l)) ⊙ f′(Z(l−1))",
            row=3,
            col=0,
            colspan=L + 1,
        )
        for l in range(L, 0, -1):
            col = L - l
            self.pictures[f"W{l}"] = _Picture(self.plots, 4, col, f"dW{l} {net.params[f'W{l}'].shape}", DIVERGING, True)
            self.pictures[f"b{l}"] = _Picture(self.plots, 6, col, f"db{l} ({net.sizes[l]}, 1)", DIVERGING, True)
        self.nudge_picture = _Picture(self.plots, 4, L, "nudged input", ACTIVATION, False)
        for picture in (self.pictures[f"A{L}"], self.pictures[f"b{L}"]):
            picture.for_classes(net.classes if net.output.name == "softmax" else net.classes[1:])
        self.delta_plot = self.plots.addPlot(row=8, col=0, colspan=max(1, (L + 1) // 2), title=f"dZ{L} = A{L} − Y")
        self.delta_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=pg.mkBrush(*AFTER))
        self.delta_plot.addItem(self.delta_bars)
        self.delta_plot.setYRange(-1.0, 1.0, padding=0.05)  # A(L) − Y lies in [−1, 1]: the axis never moves
        self.prob_plot = self.plots.addPlot(
            row=8, col=max(1, (L + 1) // 2), colspan=L + 1 - max(1, (L + 1) // 2), title="P before (grey) and after"
        )
        self.before_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=pg.mkBrush(*BEFORE))
        self.after_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=pg.mkBrush(*AFTER))
        self.prob_plot.addItem(self.before_bars)
        self.prob_plot.addItem(self.after_bars)
        self.prob_plot.setYRange(0, 1.05, padding=0)
        ticks = [[(i, str(int(c))) for i, c in enumerate(net.classes)]]
        for plot in (self.delta_plot, self.prob_plot):
            plot.getAxis("bottom").setTicks(ticks)
            plot.setMouseEnabled(x=False, y=False)
            cache_axes(plot)
            plot.hideButtons()

    def _show(self, record):
        self._ensure_plots()
        L = len(record.A) - 1
        self.pictures["A0"].show(record.A[0].reshape(SIDE, SIDE), name="A0 = X")
        for l in range(1, L + 1):
            self.pictures[f"A{l}"].show(record.A[l] if l == L else unit_grid(record.A[l]), name=f"A{l}")
        for l in range(1, L + 1):
            dW, db = record.dW[f"W{l}"], record.db[f"b{l}"]
            self.pictures[f"W{l}"].show(dW, name=f"dW{l}")
            self.pictures[f"b{l}"].show(db if l == L else unit_grid(db), name=f"db{l}")
        self.norms.setText(
            "Gradient norms:  "
            + ",  ".join(f"‖d{p}{l}‖ = {record.norm(f'{p}{l}'):.3g}" for l in range(L, 0, -1) for p in ("W", "b"))
        )
        x = np.arange(len(record.before))
        dZ = record.dZ[L]
        # one bar per output unit: a sigmoid's one unit is P(the second class), so it stands at that class
        x_dZ = x[len(x) - len(dZ) :]
        self.delta_bars.setOpts(
            x=x_dZ, height=dZ, brushes=[pg.mkBrush(*(AFTER if d < 0 else (240, 120, 20))) for d in dZ]
        )
        self.before_bars.setOpts(x=x - 0.2, height=record.before)
        self.after_bars.setOpts(x=x + 0.2, height=record.after)

    def _on_mouse_moved(self, scene_pos):
        if not self.pictures:  # not laid out yet
            return
        for picture in (*self.pictures.values(), self.nudge_picture):
            found = picture.value_at(scene_pos)
            if found is not None:
                self.hover.setText(picture.hover_text(found))
                return
