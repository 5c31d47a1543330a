"""NumPy arrays as Qt images."""

import numpy as np
from PySide6 import QtGui


def gray_image(values):
    """A QImage (Grayscale8) of a 2-D array in [0, 1]; 1 is white. Owns a copy of the data."""
    pixels = np.ascontiguousarray(np.clip(values, 0.0, 1.0) * 255.0 + 0.5, dtype=np.uint8)
    height, width = pixels.shape
    image = QtGui.QImage(pixels.data, width, height, width, QtGui.QImage.Format.Format_Grayscale8)
    return image.copy()  # detach from the NumPy buffer, which goes away with this function


RAISE = (30, 110, 230)  # more ink here would raise the class's probability: blue
LOWER = (240, 120, 20)  # more ink here would lower it: orange (both read for colour-blind eyes)


def signed_overlay(values):
    """A translucent QImage (ARGB32) of a signed 2-D array: blue where positive, orange where negative,
    the stronger the more opaque (scaled by the largest magnitude)."""
    values = np.asarray(values, np.float64)
    scale = max(np.abs(values).max(), 1e-12)
    strength = np.clip(np.abs(values) / scale, 0.0, 1.0)
    height, width = values.shape
    argb = np.zeros((height, width, 4), np.uint8)  # B, G, R, A in memory for Format_ARGB32 (little-endian)
    for colour, where in ((RAISE, values > 0), (LOWER, values < 0)):
        argb[where, 2], argb[where, 1], argb[where, 0] = colour
    argb[..., 3] = np.rint(strength * 220).astype(np.uint8)
    image = QtGui.QImage(argb.data, width, height, width * 4, QtGui.QImage.Format.Format_ARGB32)
    return image.copy()
