"""Plots that repaint cheaply: axes drawn once into a pixmap, not on every repaint; long curves thinned
to what the pixels can show."""

import itertools
import math

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets


def cache_axes(item):
    """Cache the axes of ``item`` (a pyqtgraph PlotItem, PlotWidget or ColorBarItem) as pixmaps.

    pyqtgraph replays an axis's recorded drawing (ticks, labels, grid lines across
    the plot) on every repaint of anything beneath it: measured, 6 ms of the UI
    thread per axis for a live cost curve redrawn 30 times a second. Cached, an
    axis is drawn again only when it changes (a new range), and a repaint copies it.
    """
    if hasattr(item, "getPlotItem"):
        item = item.getPlotItem()
    axes = [entry["item"] for entry in item.axes.values()] if hasattr(item, "axes") else [item.axis]
    for axis in axes:
        axis.setCacheMode(CACHED)
    return item


CACHED = QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache


def cache_still(*items):
    """Cache ``items`` and everything they hold as pixmaps: parts of a view that rarely change
    (titles, colour bars), so that redrawing an image beside them does not redraw them."""
    for item in items:
        item.setCacheMode(CACHED)
        for child in item.childItems():
            cache_still(child)


def long_curve(plot, name, pen, method):
    """A curve of ``plot`` for a series that grows through a run (a cost per batch): clipped to the view
    and thinned to about a point per pixel, by ``method`` ("peak": each pixel's lowest and highest value,
    for noisy series; "mean": for smooth ones).

    pyqtgraph's automatic thinning keeps five points a pixel. A cost curve of 16,000 batches (the digits
    recipe, 140 epochs) then took 17 ms to paint, 20 times a second, and 50,000 batches took 46 ms: an
    antialiased line doubling back on itself is slow to stroke. At a point a pixel: 2–3 ms.
    """
    curve = plot.plot([], [], name=name, pen=pen, autoDownsampleFactor=1.0)
    curve.setClipToView(True)
    curve.setDownsampling(auto=True, method=method)
    return curve


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(exponent):
    """``10⁻³`` for -3."""
    return "10" + str(int(exponent)).translate(_SUPERSCRIPT)


class DecadeAxis(pg.AxisItem):
    """A log axis labelled at whole powers of ten (10⁻⁴, 10⁻³, …), never with a bare 2…9.

    pyqtgraph labels the minor ticks 2…9 of each decade where there is room: over several decades
    they pile up, and over less than one only they show, with the power of ten nowhere. Here the
    decades are labelled, at least two text lines apart (every other one, or fewer, where they
    would crowd), with unlabelled ticks between; a range inside one decade labels its ticks with
    their whole values.
    """

    def __init__(self, orientation="left", **kwargs):
        super().__init__(orientation, **kwargs)
        self._label_minor = False

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        low, high = math.floor(minVal), math.ceil(maxVal)
        line = QtGui.QFontMetrics(self.style["tickFont"] or self.font()).height()
        # a label must fit inside the axis, or pyqtgraph drops it: decades half a line from its ends
        margin = 0.5 * line * (maxVal - minVal) / max(size, 1.0)
        decades = [float(d) for d in range(low, high + 1) if minVal + margin <= d <= maxVal - margin]
        room = max(1, int(size // (2 * line)))
        step = max(1, math.ceil(len(decades) / room))
        minor = []
        if high - low <= 2 * room:  # the ticks between decades, where they are not a smear
            minor = [d + math.log10(k) for d in range(low, high) for k in range(2, 10)]
            minor = [v for v in minor if minVal < v < maxVal]
        self._label_minor = not decades
        if not decades:
            return [(None, minor)]
        return [(float(step), decades[::step]), (None, minor)]

    def logTickStrings(self, values, scale, spacing):
        if spacing is not None:
            return [power_of_ten(round(v)) for v in values]
        if self._label_minor:
            return [f"{10**v:.1g}" for v in values]
        return [""] * len(values)


class _RowLegend(pg.LegendItem):
    """A legend laid out by its plot: the height its entries take is the least its row is given.

    Its entries are laid out afresh, in order, after every change: pyqtgraph's own placing
    of an entry added after one was removed put two entries in one cell."""

    def __init__(self, columns):
        super().__init__(colCount=columns, verSpacing=-6)
        self.wanted_columns = columns  # at most; fewer where the plot is narrow (fit_width)

    def addItem(self, item, name):
        super().addItem(item, name)
        self._relayout()
        if self.parentItem() is not None:
            self.fit_width(self.parentItem().vb.width())

    def removeItem(self, item):
        super().removeItem(item)
        self._relayout()

    def fit_width(self, width):
        """As many columns as entries of the widest fit across ``width`` pixels (entries cut off
        at the plot's edge were unreadable), at most the number asked for."""
        natural = [sample.boundingRect().width() + label.item.boundingRect().width() for sample, label in self.items]
        widest = max(natural, default=0) + 16
        columns = max(1, min(self.wanted_columns, int(width // widest) if widest else self.wanted_columns))
        if columns != self.columnCount:
            self.columnCount = columns
            self._relayout()

    def _relayout(self):
        for i in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(i)
        for n, (sample, label) in enumerate(self.items):
            row, col = divmod(n, self.columnCount)
            self.layout.addItem(sample, row, 2 * col, alignment=QtCore.Qt.AlignmentFlag.AlignVCenter)
            self.layout.addItem(label, row, 2 * col + 1)
        self.rowCount = -(-len(self.items) // self.columnCount)
        self.updateSize()

    def updateSize(self):
        super().updateSize()
        self.setMinimumHeight(self.geometry().height())
        self.setMaximumHeight(self.geometry().height())


def legend_above(plot, columns):
    """``plot``'s legend in a row above its lines (where a title would be), in ``columns`` columns: a
    legend inside the plot covers lines that run across it, as a layer's gradient does."""
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else plot
    legend = _RowLegend(columns)
    item.layout.removeItem(item.titleLabel)
    item.titleLabel.hide()
    item.layout.addItem(legend, 0, 1)
    item.legend = legend  # the plot's named curves are entered in it
    item.geometryChanged.connect(lambda: legend.fit_width(item.vb.width()))
    return legend


class EpochAxis(pg.AxisItem):
    """An epoch axis whose labels include the run's last epoch (``last``), which the evenly spaced
    ticks often miss (0, 5, 10, 15 for a run of 18), and never a fraction of an epoch."""

    last = None

    def tickValues(self, minVal, maxVal, size):
        levels = super().tickValues(minVal, maxVal, size)
        if not levels:
            return levels
        spacing, values = levels[0]
        spacing = max(1.0, round(spacing))
        values = [v for v in values if float(v).is_integer()]
        last = self.last
        if last is not None and minVal <= last <= maxVal:
            # the last epoch in place of the regular tick that would crowd it
            values = [v for v in values if abs(v - last) >= 0.6 * spacing] + [float(last)]
        return [(spacing, sorted(values))] + [(s, [v for v in vs if float(v).is_integer()]) for s, vs in levels[1:]]


class SparseAxis(pg.AxisItem):
    """An axis for small plots: only as many labelled ticks as fit with a gap between their labels
    (zero kept when it is one of them). pyqtgraph's spacing ran "-0.4-0.2 0 0.2" together."""

    GAP = 8  # pixels between two labels

    def tickValues(self, minVal, maxVal, size):
        levels = super().tickValues(minVal, maxVal, size)
        if not levels:
            return levels
        spacing = levels[-1][0] if len(levels) > 1 else levels[0][0]  # the finer level's: more to choose from
        values = sorted({round(v / spacing) * spacing for _, vs in levels[:2] for v in vs})
        metrics = QtGui.QFontMetrics(self.style["tickFont"] or self.font())
        texts = self.tickStrings(values, self.scale, spacing)
        width = {v: metrics.horizontalAdvance(t) for v, t in zip(values, texts, strict=True)}
        scale = size / max(maxVal - minVal, 1e-300)  # pixels per unit

        def apart(a, b):  # labels centred on their ticks, a gap between them
            return abs(b - a) * scale >= (width[a] + width[b]) / 2 + self.GAP

        # a label that would stick out past the axis's end is dropped by pyqtgraph: choose among the rest
        inner = [v for v in values if (v - minVal) * scale >= width[v] / 2 + 2 <= (maxVal - v) * scale]
        values = inner or values
        anchor = min(range(len(values)), key=lambda i: abs(values[i]))  # zero, or the value nearest it
        step = 1
        while True:  # the smallest step whose labels are apart
            kept = [v for i, v in enumerate(values) if (i - anchor) % step == 0]
            if len(kept) < 2 or all(apart(a, b) for a, b in itertools.pairwise(kept)):
                break
            step += 1
        if len(kept) < 2 and len(values) > 1:  # zero alone says no scale: the far end too, or instead
            far = max(values, key=lambda v: abs(v - values[anchor]))
            kept = sorted({values[anchor], far}) if apart(values[anchor], far) else [far]
        return [(spacing * step, kept)]
