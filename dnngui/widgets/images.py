"""NumPy arrays as Qt images."""

import numpy as np
from PySide6 import QtGui


def gray_image(values):
    """A QImage (Grayscale8) of a 2-D array in [0, 1]; 1 is white. Owns a copy of the data."""
    pixels = np.ascontiguousarray(np.clip(values, 0.0, 1.0) * 255.0 + 0.5, dtype=np.uint8)
    height, width = pixels.shape
    image = QtGui.QImage(pixels.data, width, height, width, QtGui.QImage.Format.Format_Grayscale8)
    return image.copy()  # detach from the NumPy buffer, which goes away with this function
