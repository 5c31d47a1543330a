"""Live plots of training: the cost of every batch, smoothed, and per epoch; accuracy per epoch."""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from dnngui.widgets.plots import EpochAxis, cache_axes, legend_above, long_curve

TRAIN_COLOUR = (30, 90, 200)
VALIDATION_COLOUR = (220, 100, 30)
MIN_WIDTH = 280
X_PADDING = 0.04  # room at the axis's end for the last epoch's label
RUN_COLOURS = ((200, 40, 40), (0, 150, 150), (180, 120, 0), (120, 40, 200), (40, 40, 40), (220, 60, 160))
SET_COLOURS = (
    (40, 150, 70),
    (150, 60, 170),
    (0, 150, 190),
    (180, 120, 0),
    (120, 120, 120),
)  # one per validation set, in order
# A long run's epoch curves: past MARKED_EPOCHS a curve loses its markers (they merge into a band), and it
# keeps about a point per 1 / EPOCH_POINTS_PER_PIXEL pixels, each the mean of its epochs (thinned()): every
# point stroked at every repaint made a long run's window stall (docs/design.md).
MARKED_EPOCHS = 150
EPOCH_POINTS_PER_PIXEL = 0.2


class LossPlot(QtWidgets.QWidget):
    """``lossPlot``: batch cost (thin), smoothed cost, validation cost per epoch;
    ``accuracyPlot`` beneath it, x-linked: train and validation accuracy per epoch,
    overall and for each validation set (scanned MNIST digits, each collection's held-out pen writers).

    Each curve is created once and updated with setData; long runs stay smooth
    through clip-to-view and automatic downsampling.
    """

    def __init__(self, history, parent=None):
        super().__init__(parent)
        self.history = history
        self.loss = self._plot(
            "lossPlot", "cost J", (-10, 10), "Cross-entropy cost: every batch, smoothed, and on the validation set"
        )
        self.batch_curve = long_curve(self.loss, "batch", pg.mkPen(150, 180, 220, width=1), "peak")
        self.batch_curve.opts["antialias"] = False  # a thin, noisy line: smoothing its edges costs a millisecond
        self.smooth_curve = long_curve(self.loss, "smoothed", pg.mkPen(*TRAIN_COLOUR, width=2), "mean")
        self.val_curve = self._epoch_curve(self.loss, "validation", VALIDATION_COLOUR)

        self.accuracy = self._plot(
            "accuracyPlot",
            "accuracy",
            None,  # above the lines: inside, six entries covered the curves they name
            "Share of digits right, per epoch: on the training batches as they were trained (distorted), and on "
            "each validation set: MNIST's held-out digits, the digits of the held-out UCI and UNIPEN writers, "
            "and those of a whole UNIPEN laboratory",
            legend_columns=3,
        )
        self.accuracy.setXLink(self.loss)
        self.accuracy.setMaximumHeight(240)
        self.train_acc_curve = self._epoch_curve(self.accuracy, "train", TRAIN_COLOUR)
        self.val_acc_curve = self._epoch_curve(self.accuracy, "validation", VALIDATION_COLOUR)
        self.set_curves = {}  # validation set name → its accuracy curve, made when a run first reports it
        self._cost_top = None
        self._accuracy_bottom = None
        self._stale = False  # the history changed while the plots were hidden
        self._epochs_shown = None  # how many epochs the epoch curves show
        self._shown_runs = {}  # id of a kept run overlaid → (colour, label, [(plot, curve)])
        self.setMinimumWidth(MIN_WIDTH)  # narrower, the legends are cut and the epoch ticks run together
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss, 3)
        layout.addWidget(self.accuracy, 1)

    @staticmethod
    def _plot(object_name, y_label, legend_offset, tooltip, legend_columns=1):
        plot = pg.PlotWidget(axisItems={"bottom": EpochAxis("bottom")})
        plot.setObjectName(object_name)
        plot.setLabel("left", y_label)
        plot.getAxis("left").enableAutoSIPrefix(False)  # a 0-vs-1 cost read "cost J (x0.001)"
        plot.setLabel("bottom", "epoch")
        plot.showGrid(x=True, y=True, alpha=0.2)
        if legend_offset is None:
            legend_above(plot, legend_columns)
        else:
            plot.addLegend(offset=legend_offset, colCount=legend_columns)
        plot.setToolTip(tooltip)
        cache_axes(plot)
        return plot

    @staticmethod
    def _epoch_curve(plot, name, colour):
        """One point per epoch, joined (thinned in long runs: MARKED_EPOCHS)."""
        pen = pg.mkPen(*colour, width=2)
        return plot.plot([], [], name=name, pen=pen, symbol="o", symbolSize=6, symbolBrush=colour)

    def show_runs(self, entries):
        """Overlay kept runs, [(label, core.runs.Run)]: each one's validation cost and accuracy per epoch,
        dashed, in its own colour, named in the legends by ``label``.

        Only what changed is redrawn: a run ticked or unticked adds or removes its two curves, and the
        others are renamed (their labels name how the ticked runs differ). Drawing every ticked run
        afresh took 1.7 s a tick at 200 runs."""
        wanted = {id(run): (label, run) for label, run in entries}
        for key in [key for key in self._shown_runs if key not in wanted]:
            for plot, curve in self._shown_runs.pop(key)[2]:
                plot.getPlotItem().legend.removeItem(curve)
                plot.removeItem(curve)
        for key, (label, run) in wanted.items():
            if key in self._shown_runs:
                colour, old, curves = self._shown_runs[key]
                if old != label:
                    for plot, curve in curves:
                        _rename(plot.getPlotItem().legend, curve, label)
                    self._shown_runs[key] = (colour, label, curves)
                continue
            used = {colour for colour, _, _ in self._shown_runs.values()}
            colour = next((c for c in RUN_COLOURS if c not in used), RUN_COLOURS[len(used) % len(RUN_COLOURS)])
            x = np.arange(1, len(run.epochs) + 1, dtype=float)
            curves = []
            for plot, column in ((self.loss, "val_cost"), (self.accuracy, "val_accuracy")):
                y = np.array(run.column(column), dtype=float)
                keep = np.isfinite(y)
                pen = pg.mkPen(*colour, width=2, style=QtCore.Qt.PenStyle.DashLine)
                curves.append((plot, plot.plot(x[keep], y[keep], pen=pen, name=label)))
            self._shown_runs[key] = (colour, label, curves)
        longest = max((len(run.epochs) for _, run in entries), default=0)
        if longest and not self._cost_top:  # nothing trained yet in this session: the axes follow the runs
            self._last_epoch(longest)
            self.loss.setXRange(0, longest, padding=X_PADDING)
            self.loss.enableAutoRange(axis="y", enable=True)
            self.accuracy.enableAutoRange(axis="y", enable=True)

    @property
    def _run_curves(self):
        """(plot, curve) of every kept run overlaid."""
        return [pair for _, _, curves in self._shown_runs.values() for pair in curves]

    def start_run(self, first_epoch, last_epoch, sets=()):
        """Fix the x axis to the epochs of a run, so the axes are not redrawn on every update; give each of
        its validation ``sets`` (names) a curve now, not mid-run (adding curves relaid the legend out while
        training: a 70 ms stall), and take the curves and legend entries of sets it does not have away."""
        for name in [n for n in self.set_curves if n not in sets]:
            curve = self.set_curves.pop(name)
            self.accuracy.getPlotItem().legend.removeItem(curve)
            self.accuracy.removeItem(curve)
        for name in sets:
            self._set_curve(name)
        self._show_pooled(len(sets) <= 1)
        self._last_epoch(last_epoch)
        self.loss.setXRange(first_epoch, last_epoch, padding=X_PADDING)
        self.loss.enableAutoRange(axis="y", enable=False)
        self.accuracy.enableAutoRange(axis="y", enable=False)
        self._cost_top = None
        self._accuracy_bottom = None
        self._epochs_shown = None

    def _last_epoch(self, epoch):
        for plot in (self.loss, self.accuracy):
            plot.getAxis("bottom").last = epoch

    def _fit_y(self):
        """Grow the y ranges only when the data leave them (a redrawn axis costs milliseconds)."""
        h = self.history
        if len(h.batch_cost):
            top = float(np.nanmax(h.batch_cost.values[-5000:]))
            if self._cost_top is None or top > self._cost_top:
                self._cost_top = top * 1.1
                self.loss.setYRange(0, self._cost_top, padding=0)
        sets = [values.values for values in h.set_accuracy.values()]
        accuracies = np.concatenate([h.train_accuracy.values, h.val_accuracy.values, *sets])
        accuracies = accuracies[np.isfinite(accuracies)]
        if accuracies.size:
            bottom = max(0.0, np.floor(accuracies.min() * 20) / 20)  # in steps of 5 points
            if self._accuracy_bottom is None or bottom < self._accuracy_bottom:
                self._accuracy_bottom = bottom
                self.accuracy.setYRange(bottom, 1.0, padding=0.02)

    def refresh(self):
        """Show what the history holds now: at once if the plots show, else when they are shown.

        Redrawing hidden plots would cost the UI thread milliseconds many times a
        second while the person watches another tab; the epoch curves and the
        accuracy plot change only when an epoch ends."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        h = self.history
        self.batch_curve.setData(h.batch_x.values, h.batch_cost.values)
        self.smooth_curve.setData(h.batch_x.values, h.smooth_cost.values)
        if self._epochs_shown != len(h.epoch_x):
            self._epochs_shown = len(h.epoch_x)
            self._refresh_epochs()
        self._fit_y()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _refresh_epochs(self):
        h = self.history
        self._set_points(self.val_curve, h.epoch_x.values, h.val_cost.values)
        self._set_points(self.train_acc_curve, h.epoch_x.values, h.train_accuracy.values)
        self._set_points(self.val_acc_curve, h.epoch_x.values, h.val_accuracy.values)
        for name, values in h.set_accuracy.items():
            self._set_points(self._set_curve(name), h.epoch_x.values, values.values)
        self._show_pooled(len(h.set_accuracy) <= 1)
        for name in self.set_curves.keys() - h.set_accuracy.keys():  # a set of an earlier run
            self.set_curves[name].setData([], [])

    def _set_curve(self, name):
        """The accuracy curve of validation set ``name``, made if it has none yet."""
        if name not in self.set_curves:
            colour = SET_COLOURS[min(len(self.set_curves), len(SET_COLOURS) - 1)]
            self.set_curves[name] = self._epoch_curve(self.accuracy, _short(name), colour)
        return self.set_curves[name]

    def _show_pooled(self, show):
        """The accuracy over all validation digits: shown unless each set has its own curve."""
        legend = self.accuracy.getPlotItem().legend
        listed = any(sample.item is self.val_acc_curve for sample, _ in legend.items)
        self.val_acc_curve.setVisible(show)
        if show and not listed:
            legend.addItem(self.val_acc_curve, "validation")
        elif not show and listed:
            legend.removeItem(self.val_acc_curve)

    def _set_points(self, curve, x, y):
        keep = np.isfinite(y)
        x, y = x[keep], y[keep]
        marked = len(x) <= MARKED_EPOCHS
        if marked != (curve.opts["symbol"] is not None):
            curve.setSymbol("o" if marked else None)
        if not marked:
            x, y = thinned(x, y, self.loss.getPlotItem().getViewBox().width() * EPOCH_POINTS_PER_PIXEL)
        curve.setData(x, y)


def thinned(x, y, points):
    """About ``points`` points for the series (x, y): the means of runs of consecutive points, and
    the last few as they are (the latest epochs are the ones watched)."""
    run = len(x) // max(int(points), 1)
    if run <= 1:
        return x, y
    whole = (len(x) - 1) // run * run  # the last point always stands alone
    return (
        np.concatenate([x[:whole].reshape(-1, run).mean(axis=1), x[whole:]]),
        np.concatenate([y[:whole].reshape(-1, run).mean(axis=1), y[whole:]]),
    )


def _short(set_name):
    """A validation set's name as a legend shows it, short enough for two columns in a narrow plot:
    "MNIST validation" → "MNIST", "held-out UCI writers" → "UCI", "held-out UNIPEN lab" → "UNIPEN lab"."""
    return set_name.removesuffix(" validation").removeprefix("held-out ").removesuffix(" writers")


def _rename(legend, curve, label):
    """Give ``curve``'s entry in ``legend`` the text ``label``."""
    for sample, text in legend.items:
        if sample.item is curve:
            text.setText(label)
