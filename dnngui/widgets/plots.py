"""Plots that repaint cheaply: axes drawn once into a pixmap, not on every repaint; long curves thinned
to what the pixels can show."""

from PySide6 import QtWidgets


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
