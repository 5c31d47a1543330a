"""Many small pictures laid out as one image (no Qt): units of a layer, weight tiles."""

import math

import numpy as np


def near_square(n):
    """(rows, cols) of the most nearly square grid with room for n cells."""
    cols = max(1, math.ceil(math.sqrt(n)))
    return math.ceil(n / cols), cols


def unit_grid(values):
    """A layer's n unit values (n,) as a near-square (rows, cols) image; empty cells are NaN."""
    values = np.asarray(values, float).reshape(-1)
    rows, cols = near_square(values.size)
    grid = np.full(rows * cols, np.nan)
    grid[: values.size] = values
    return grid.reshape(rows, cols)


def tiles(images, gap=1, fill=np.nan):
    """Images (n, h, w) as one near-square mosaic with ``gap`` pixels of ``fill`` between them."""
    n, h, w = images.shape
    rows, cols = near_square(n)
    cells = np.full((rows * cols, h + gap, w + gap), fill)
    cells[:n, :h, :w] = images
    mosaic = cells.reshape(rows, cols, h + gap, w + gap).transpose(0, 2, 1, 3).reshape(rows * (h + gap), -1)
    return mosaic[: rows * (h + gap) - gap, : cols * (w + gap) - gap]


class StickyLevels:
    """Colour levels (low, high) that follow the data but change rarely.

    A colour bar whose levels change redraws its axis, which costs the UI thread
    milliseconds; during training the values change on every snapshot. The levels
    widen when the data leave them, and narrow only when the data fill less than
    ``shrink`` of them, each time with a margin, so most updates keep them.
    """

    def __init__(self, symmetric=False, margin=0.1, shrink=0.5):
        self.symmetric, self.margin, self.shrink = symmetric, margin, shrink
        self.levels = None

    def update(self, low, high):
        """The levels for data spanning [low, high]; True in ``changed`` when they moved."""
        if self.symmetric:
            high = max(abs(low), abs(high))
            low = -high
        if not (np.isfinite(low) and np.isfinite(high)):
            low, high = 0.0, 1.0
        if high <= low:
            high = low + 1e-6
        if self.levels is not None:
            old_low, old_high = self.levels
            inside = old_low <= low and high <= old_high
            if inside and (high - low) >= self.shrink * (old_high - old_low):
                return self.levels, False
        pad = self.margin * (high - low)
        self.levels = (low - pad if low < 0 or self.symmetric else max(0.0, low - pad), high + pad)
        return self.levels, True
