"""The training's health, layer by layer: gradient flow, step sizes, dead and saturated units, histograms."""

import functools

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from dnngui.core import health
from dnngui.core.tasks import network_arrays
from dnngui.jobs.job import Background, WorksInTheBackground, is_heavy
from dnngui.noqt.history import Growing
from dnngui.widgets import dialogs
from dnngui.widgets.plots import DecadeAxis, SparseAxis, cache_axes, legend_above, long_curve, power_of_ten

LAYER_COLOURS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
                 (227, 119, 194), (127, 127, 127), (188, 189, 34))  # fmt: skip
DEAD_COLOUR = (192, 57, 43)
SATURATED_COLOUR = (230, 150, 30)
HISTOGRAMS = (("weights", "W"), ("grads", "dW"), ("activations", "A"))
REFRESH_MS = 250  # the curves redraw at most four times a second: trends, not every step
MIN_LINE_PLOT_HEIGHT = 130  # pixels: a legend row and two decades
MIN_HISTOGRAM_HEIGHT = 80  # pixels per row of histograms: a title, bars and an axis
HISTOGRAM_MS = 15  # histograms are redrawn one plot per tick, so no frame waits for them all


def _colour(l):
    return LAYER_COLOURS[(l - 1) % len(LAYER_COLOURS)]


class HealthView(WorksInTheBackground, QtWidgets.QWidget):
    """``healthView``: per layer, the RMS of dW(l) over the run on a log axis (vanishing gradients
    show as a fan), the update ratio ‖ΔW‖/‖W‖ with a guide at 1e-3, the shares of dead and
    saturated units, and histograms of W, dW and A, every epoch.

    Live while training (``add_progress``), and for the current model on demand (Check Model)."""

    def __init__(self, state, data_source, parent=None):
        super().__init__(parent)
        self.setObjectName("healthView")
        self.state = state
        self.data_source = data_source
        self.depth = 0
        self.x = Growing()
        self.grad_rms = []  # per layer: Growing
        self.update_ratio = []
        self.grad_curves, self.ratio_curves = [], []
        self._epoch = None  # the latest EpochHealth shown
        self._curves_model = None  # the network the line plots' run made and kept (None: none, or not kept)
        self._showing_check = False  # the line plots hold Check Model's dots, not a run's curves
        self._stale = False
        self._y_ranges = {}  # plot → (low, high) in log10, grown only when the data leave it
        self._unit_layers = None  # the hidden layers the unit-share axis is labelled for
        self._refresh_soon = QtCore.QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(REFRESH_MS)
        self._refresh_soon.timeout.connect(self.refresh)
        self._histogram_queue = []  # (curve, Histogram) still to draw
        self._histogram_timer = QtCore.QTimer(self)
        self._histogram_timer.setInterval(HISTOGRAM_MS)
        self._histogram_timer.timeout.connect(self._draw_next_histogram)
        self._build_header()
        self._build_line_plots()
        self._build_unit_plot()
        self._build_histogram_area()
        self._build_layout()
        self.status.setText("Train to watch each layer's gradients live, or check the current model.")

    def _build_header(self):
        self.status = dialogs.plain_label()
        self.status.setObjectName("healthStatus")
        self.status.setWordWrap(True)
        # a fixed height: a new sentence every epoch must not lay out (and repaint) the plots below it
        self.status.setFixedHeight(3 * self.status.fontMetrics().lineSpacing() + 4)
        self.status.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
        self.check_button = QtWidgets.QPushButton("Check Model")
        self.check_button.setObjectName("checkHealthButton")
        self.check_button.setToolTip(
            "One forward and backward pass of the current model over validation digits: its gradients, "
            "dead and saturated units and histograms, without training"
        )
        self.check_button.clicked.connect(self.check_model)
        self._background = Background(self, self.check_button)  # a large network is checked there

    def _build_line_plots(self):
        self.gradients = self._log_plot(
            "gradientFlow",
            "RMS of dW(l)",
            "How large each layer's gradient is, step by step. Lines fanning apart, the first layers far below, "
            "are vanishing gradients: those layers hardly learn.",
        )
        self.ratios = self._log_plot(
            "updateRatio",
            "‖ΔW‖ / ‖W‖",
            "How far each step moves each layer's weights, relative to their size. About 1e-3 is healthy; far "
            "below, the layer learns slowly; far above, steps are too large and the run may diverge.",
        )
        guide = pg.InfiniteLine(
            pos=np.log10(health.HEALTHY_UPDATE_RATIO),
            angle=0,
            pen=pg.mkPen(120, 120, 120, style=QtCore.Qt.PenStyle.DashLine),
            label=power_of_ten(-3),
            labelOpts={"position": 0.05, "color": (90, 90, 90)},
        )
        self.ratios.addItem(guide)
        self._no_steps = pg.TextItem(
            "A step's size: drawn while a run trains", color=(120, 120, 120), anchor=(0.5, 0.5)
        )
        self.ratios.setXLink(self.gradients)
        for plot in (self.gradients, self.ratios):  # below this they are unreadable slivers: the page scrolls
            plot.setMinimumHeight(MIN_LINE_PLOT_HEIGHT)

    def _build_unit_plot(self):
        self.units = pg.PlotWidget()
        self.units.setObjectName("unitShares")
        self.units.setLabel("left", "share of units")
        self.units.setLabel("bottom", "hidden layer")
        self.units.setYRange(0, 1.0, padding=0.02)
        self.units.setMouseEnabled(x=False, y=False)
        self.units.addLegend(offset=(-10, 10))
        self.units.setToolTip(
            "Dead: ReLU units that no validation digit switches on (f′ = 0, so they never learn again). "
            "Saturated: sigmoid or tanh units with |f′(Z)| < 0.01 for every digit."
        )
        cache_axes(self.units)
        self.dead_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=pg.mkBrush(*DEAD_COLOUR), name="dead")
        self.saturated_bars = pg.BarGraphItem(
            x=[], height=[], width=0.38, brush=pg.mkBrush(*SATURATED_COLOUR), name="saturated"
        )
        self.units.addItem(self.dead_bars)
        self.units.addItem(self.saturated_bars)

    def _build_histogram_area(self):
        self.histograms = pg.GraphicsLayoutWidget()
        self.histograms.setObjectName("healthHistograms")
        self.histograms.setToolTip("Per layer: the distribution of its weights W, gradients dW and activations A")
        self.histogram_curves = {}  # (kind, layer) → curve, of the layers shown
        self._histogram_plots = {}  # (kind, layer) → (plot, curve), every one made so far
        self._histogram_layers = 0
        self._histograms_wanted = 0  # the depth the histograms are for, once the tab shows
        self._plots_to_make = []  # (kind, symbol, layer) of plots made one a tick (_make_plots_meanwhile)
        self._plot_timer = QtCore.QTimer(self)
        self._plot_timer.setInterval(0)
        self._plot_timer.timeout.connect(self._make_next_plot)
        # below this a row is an unreadable sliver: the page scrolls instead (a 1024×640 window)
        self.histograms.setMinimumHeight(len(HISTOGRAMS) * MIN_HISTOGRAM_HEIGHT)

    def _build_layout(self):
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.check_button)
        plots = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        upper = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        left = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        left.addWidget(self.gradients)
        left.addWidget(self.ratios)
        upper.addWidget(left)
        upper.addWidget(self.units)
        upper.setSizes([700, 300])
        plots.addWidget(upper)
        plots.addWidget(self.histograms)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(plots, 1)

    @staticmethod
    def _log_plot(name, label, tooltip):
        plot = pg.PlotWidget(axisItems={"left": DecadeAxis("left")})
        plot.setObjectName(name)
        plot.setLabel("left", label)
        plot.setLabel("bottom", "epoch")
        plot.setLogMode(y=True)
        plot.getAxis("left").enableAutoSIPrefix(False)  # powers of ten, not "×0.001"
        plot.setYRange(-5, -1, padding=0.02)  # decades from the start, before any data
        plot.showGrid(x=True, y=True, alpha=0.2)
        legend_above(plot, columns=9)
        plot.setToolTip(tooltip)
        cache_axes(plot)
        return plot

    # ----------------------------------------------------------------- runs
    def start_run(self, depth, continuing=False, last_epoch=None):
        """A run of a network with ``depth`` layers starts (until ``last_epoch``); a new run clears the curves."""
        if last_epoch is not None:  # a fixed x axis: not redrawn on every update
            self.gradients.setXRange(0, last_epoch, padding=0.02)
        if continuing and depth == self.depth and not self._showing_check:
            return  # the run goes on along its curves; a check's dots are not a run's curves
        self._histogram_queue = []  # the last run's histograms, still being drawn, are stale
        self._histograms_wanted = depth  # made when the tab shows: each plot costs the window tens of ms
        if self.isVisible():
            self._build_histograms(depth)
        self._new_curves(depth)
        self._curves_model = None  # the run's, until it is kept as the model
        self.status.setText("Training: each layer's gradient and step, every few batches.")

    def run_kept(self, network):
        """The run whose curves are shown made ``network``, now the model: Check Model keeps its curves."""
        self._curves_model = network

    def _new_curves(self, depth):
        """Empty line plots (and legends) for a network of ``depth`` layers."""
        self.depth = depth
        self._showing_check = False
        self.x = Growing()
        self.grad_rms = [Growing() for _ in range(depth)]
        self.update_ratio = [Growing() for _ in range(depth)]
        for plot in (self.gradients, self.ratios):
            for item in plot.listDataItems():
                plot.removeItem(item)  # and from the legend
        self.ratios.removeItem(self._no_steps)
        self.grad_curves = [self._curve(self.gradients, f"dW{l}", l) for l in range(1, depth + 1)]
        self.ratio_curves = [self._curve(self.ratios, f"W{l}", l) for l in range(1, depth + 1)]
        self._y_ranges = {}
        for plot in (self.gradients, self.ratios):
            plot.enableAutoRange(axis="y", enable=False)

    @staticmethod
    def _curve(plot, name, l):
        return long_curve(plot, name, pg.mkPen(*_colour(l), width=2), "mean")

    def add_progress(self, progress, epoch_offset):
        """Take the health figures a training update carries; redraw if shown."""
        changed = False
        for record in progress.batches:
            if record.health is None or len(record.health.grad_rms) != self.depth:
                continue
            self.x.extend([epoch_offset + record.epoch - 1 + record.step / record.steps])
            for l in range(self.depth):
                self.grad_rms[l].extend([record.health.grad_rms[l]])
                self.update_ratio[l].extend([record.health.update_ratio[l]])
            changed = True
        for record in progress.epochs:
            if record.health is not None:
                self._epoch = record.health
                self._show_epoch()
                self.status.setText(f"After epoch {epoch_offset + record.epoch}{_summary(record.health)}")
        if changed and not self._refresh_soon.isActive():
            self._refresh_soon.start()

    def refresh(self):
        """Show the curves as they are: at once if shown, else when shown (hidden plots cost nothing)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        x = self.x.values
        for plot, curves, values in (
            (self.gradients, self.grad_curves, self.grad_rms),
            (self.ratios, self.ratio_curves, self.update_ratio),
        ):
            for curve, y in zip(curves, values, strict=True):
                _set_positive(curve, x, y.values)
            self._fit_y(plot, [y.values for y in values])

    def _fit_y(self, plot, series):
        """Widen the log y range to whole decades when the data leave it (a redrawn axis costs milliseconds)."""
        values = np.concatenate(series) if series else np.zeros(0)
        values = values[np.isfinite(values) & (values > 0)]
        if values.size == 0:
            return
        low, high = np.log10(values.min()), np.log10(values.max())
        old = self._y_ranges.get(plot)
        if old is not None and old[0] <= low and high <= old[1]:
            return
        low, high = np.floor(low), np.ceil(high)
        if old is not None:
            low, high = min(old[0], low), max(old[1], high)
        self._y_ranges[plot] = (low, high)
        plot.setYRange(low, high, padding=0.02)

    def showEvent(self, event):
        super().showEvent(event)
        if self._histograms_wanted:
            self._build_histograms(self._histograms_wanted)
        if self._stale:
            self.refresh()
            self._show_epoch()

    # ------------------------------------------------------------- epochs
    def check_model(self):
        """The health of the current model, on a validation batch, without training."""
        network = self.state.network
        digits = self.data_source.validation
        X, Y = network_arrays(network, digits, limit=health.batch_for(network))
        if X.shape[1] == 0:
            self.status.setText("The validation digits have none of this model's classes to check it on.")
            return
        if not is_heavy(network, X.shape[1]):
            self._show_checked(network, X.shape[1], health.epoch_health(network, X, Y))
            return
        if self.job is not None:
            return
        self._make_plots_meanwhile(network.depth)
        self._background.start(
            lambda control: health.epoch_health(network, X, Y),
            functools.partial(self._on_checked, network, X.shape[1]),
            lambda message: self.status.setText(f"The check failed: {message}."),
        )
        self.status.setText(f"Checking the current model ({network.n_params:,} weights) on {X.shape[1]} digits…")

    def _on_checked(self, network, n, epoch):
        if network is self.state.network:  # the model checked is still the model
            self._show_checked(network, n, epoch)
        else:
            self.status.setText("The model changed during the check: Check Model again to check this one.")

    def _show_checked(self, network, n, epoch):
        """Show the check of ``network`` on ``n`` validation digits."""
        self._epoch = epoch
        own = network is self._curves_model
        if not own:  # the line plots hold another network's run (or none): this model's check instead
            self._show_check(self._epoch)
        self._show_epoch(force=True)
        steps = "" if own else " A run of it draws the line plots step by step; the dots are this check."
        self.status.setText(f"The current model, on {n} validation digits{_summary(self._epoch)}{steps}")

    def _show_check(self, epoch):
        """The check's gradient RMS per layer as dots at epoch 0; no step was taken, so no update ratio."""
        self._new_curves(len(epoch.grad_rms))
        self._showing_check = True
        self.x.extend([0.0])
        for l, curve in enumerate(self.grad_curves):
            curve.setSymbol("o")
            curve.setSymbolBrush(pg.mkBrush(*_colour(l + 1)))
            self.grad_rms[l].extend([epoch.grad_rms[l]])
            self.update_ratio[l].extend([np.nan])
        self.gradients.setXRange(-0.5, 1, padding=0)
        self.refresh()
        self.ratios.addItem(self._no_steps)
        (x0, x1), (y0, y1) = self.ratios.viewRange()
        self._no_steps.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def _show_epoch(self, force=False):
        epoch = self._epoch
        if epoch is None:
            return
        if not force and not self.isVisible():
            self._stale = True
            return
        layers = np.arange(1, len(epoch.dead) + 1)
        self.dead_bars.setOpts(x=layers - 0.2, height=np.nan_to_num(epoch.dead))
        self.saturated_bars.setOpts(x=layers + 0.2, height=np.nan_to_num(epoch.saturated))
        if self._unit_layers != len(layers):  # the axis only changes with the network's shape
            self._unit_layers = len(layers)
            self.units.setXRange(0.4, max(1, len(layers)) + 0.6, padding=0)
            self.units.getAxis("bottom").setTicks([[(int(l), str(int(l))) for l in layers]])
        self._show_histograms(epoch)

    def _build_histograms(self, L):
        """A histogram plot per kind and layer of a network of L layers. Plots are made once and kept: a
        run of another depth shows those it needs and makes only the missing (each costs tens of
        milliseconds). A run's start asks for them only when the tab shows (start_run): the Train tab
        showing, the largest network's 27 plots stalled the window 1.6 s."""
        self._histograms_wanted = 0
        if self._histogram_layers == L:
            return
        self._histogram_queue = []  # a run of another shape starting: the last epoch's histograms are gone
        for (_, layer), (plot, _) in self._histogram_plots.items():
            if layer >= L and plot.scene() is not None:
                self.histograms.removeItem(plot)
        self.histogram_curves = {}
        for row, (kind, symbol) in enumerate(HISTOGRAMS):  # a row per kind, a column per layer
            for layer in range(L):
                if (kind, layer) not in self._histogram_plots:
                    self._histogram_plots[kind, layer] = self._histogram_plot(f"{symbol}{layer + 1}", layer)
                plot, curve = self._histogram_plots[kind, layer]
                if plot.scene() is None:
                    self.histograms.addItem(plot, row=row, col=layer)
                curve.setData([0, 1], [0])
                self.histogram_curves[kind, layer] = curve
        self._histogram_layers = L

    def _make_plots_meanwhile(self, L):
        """Make the histogram plots a network of L layers lacks, one a tick while a check runs in the
        background, so that its result does not stall the window on them (27 plots: about 0.8 s)."""
        self._plots_to_make = [
            (kind, symbol, layer)
            for kind, symbol in HISTOGRAMS
            for layer in range(L)
            if (kind, layer) not in self._histogram_plots
        ]
        if self._plots_to_make:
            self._plot_timer.start()

    def _make_next_plot(self):
        if not self._plots_to_make:
            self._plot_timer.stop()
            return
        kind, symbol, layer = self._plots_to_make.pop(0)
        if (kind, layer) not in self._histogram_plots:
            self._histogram_plots[kind, layer] = self._histogram_plot(f"{symbol}{layer + 1}", layer)

    @staticmethod
    def _histogram_plot(title, layer):
        plot = pg.PlotItem(title=title, axisItems={"bottom": SparseAxis("bottom")}, enableMenu=False)
        plot.hideAxis("left")
        plot.setMouseEnabled(x=False, y=False)
        plot.enableAutoRange(axis="x", enable=False)  # see _follow
        cache_axes(plot)
        curve = plot.plot([0, 1], [0], stepMode="center", fillLevel=0, brush=(*_colour(layer + 1), 150), pen=None)
        return plot, curve

    def _show_histograms(self, epoch):
        self._build_histograms(len(epoch.weights))
        self._histogram_queue = [
            (curve, getattr(epoch, kind)[layer]) for (kind, layer), curve in self.histogram_curves.items()
        ]
        self._draw_next_histogram()
        self._histogram_timer.start()

    def _draw_next_histogram(self):
        if not self._histogram_queue:
            self._histogram_timer.stop()
            return
        curve, histogram = self._histogram_queue.pop(0)
        curve.setData(histogram.edges, histogram.counts)
        _follow(curve.getViewBox(), histogram.edges)


def _follow(view, edges):
    """Move a histogram's x range only when its bins leave it or fill less than half of it.

    Each new range redraws the axis beneath (a millisecond or more), and nine
    histograms are redrawn at every epoch's end; a range that jumped every epoch
    also made the plots hard to read.
    """
    low, high = float(edges[0]), float(edges[-1])
    (x0, x1), _ = view.viewRange()
    if low < x0 or high > x1 or high - low < 0.5 * (x1 - x0):
        view.setXRange(low, high, padding=0.05)


def _set_positive(curve, x, y):
    """Log-axis data: only the finite, positive values."""
    keep = np.isfinite(y) & (y > 0)
    curve.setData(x[keep], y[keep])


def _summary(epoch):
    """One sentence on an EpochHealth (core.health.diagnosis)."""
    return health.diagnosis(epoch.grad_rms, epoch.dead, epoch.saturated)
