"""Plots that repaint cheaply: axes drawn once into a pixmap, not on every repaint."""

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
