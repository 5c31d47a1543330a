"""Plots that repaint cheaply: axes drawn once into a pixmap, not on every repaint; long curves thinned
to what the pixels can show."""

import math

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets


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
    """A legend laid out by its plot: the height its entries take is the least its row is given."""

    def updateSize(self):
        super().updateSize()
        self.setMinimumHeight(self.geometry().height())
        self.setMaximumHeight(self.geometry().height())


def legend_above(plot, columns):
    """``plot``'s legend in a row above its lines (where a title would be), in ``columns`` columns: a
    legend inside the plot covers lines that run across it, as a layer's gradient does."""
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else plot
    legend = _RowLegend(colCount=columns, verSpacing=-6)
    item.layout.removeItem(item.titleLabel)
    item.titleLabel.hide()
    item.layout.addItem(legend, 0, 1)
    item.legend = legend  # the plot's named curves are entered in it
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
