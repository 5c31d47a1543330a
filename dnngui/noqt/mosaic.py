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


def tiles(images, gap=1):
    """Images (n, h, w) as one near-square mosaic with ``gap`` NaN pixels between them."""
    n, h, w = images.shape
    rows, cols = near_square(n)
    mosaic = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan)
    for k in range(n):
        r, c = divmod(k, cols)
        mosaic[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = images[k]
    return mosaic
