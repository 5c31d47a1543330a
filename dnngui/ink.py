"""Ink on the 28×28 canvas: strokes painted with a soft, anti-aliased round brush.

Pure NumPy (no Qt), so the canvas widget stays thin and the drawing can be
replayed and tested headless. Points are in cell units: (x, y) with (0, 0) the
top-left corner of the top-left cell and (28, 28) the bottom-right corner.
A segment between two pen positions is painted as a capsule (a round brush
dragged along it), so fast pen movements leave continuous strokes; coverage is
computed from the exact distance of each cell centre to the segment, with a
soft edge about one cell wide, like MNIST's grey stroke borders.
"""

import itertools

import numpy as np

SIDE = 28
DEFAULT_WIDTH = 2.2  # brush diameter in cells: MNIST-like strokes for a digit drawn about 20 cells tall
MIN_WIDTH = 0.8
MAX_WIDTH = 6.0
SOFTNESS = 1.1  # width, in cells, of the brush's grey edge

_CY, _CX = (g + 0.5 for g in np.mgrid[0:SIDE, 0:SIDE].astype(np.float64))


def segment_coverage(p0, p1, width):
    """(28, 28) ink in [0, 1] of a round brush of diameter ``width`` dragged from p0 to p1."""
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = np.clip(((_CX - x0) * dx + (_CY - y0) * dy) / length2, 0.0, 1.0) if length2 > 0 else 0.0
    distance = np.hypot(_CX - (x0 + t * dx), _CY - (y0 + t * dy))
    return np.clip((width / 2 - distance) / SOFTNESS + 0.5, 0.0, 1.0)


class Drawing:
    """The strokes on the canvas and the ink they leave.

    ``ink`` is float32 (28, 28), 0 = paper, 1 = full ink. A stroke draws (adds
    ink) or erases (removes it). Strokes lie over a background, blank unless an
    image was loaded (a digit picked from a data set, say). Every stroke is
    kept, so the last one can be undone by repainting the rest.
    """

    def __init__(self):
        self.ink = np.zeros((SIDE, SIDE), np.float32)
        self.background = np.zeros((SIDE, SIDE), np.float32)
        self.strokes = []  # (erase, width, [points])
        self._in_progress = False

    @property
    def is_blank(self):
        return not self.ink.any()

    @property
    def drawing_in_progress(self):
        return self._in_progress

    def begin(self, point, width=DEFAULT_WIDTH, erase=False):
        """Start a stroke at ``point`` (cell units)."""
        self._in_progress = True
        self.strokes.append((erase, float(width), [tuple(point)]))
        self._paint(point, point, width, erase)

    def extend(self, point):
        """Continue the stroke in progress to ``point``; ignored if none is in progress."""
        if not self._in_progress:
            return
        erase, width, points = self.strokes[-1]
        self._paint(points[-1], point, width, erase)
        points.append(tuple(point))

    def end(self):
        self._in_progress = False

    def _paint(self, p0, p1, width, erase):
        coverage = segment_coverage(p0, p1, width)
        if erase:
            np.minimum(self.ink, 1.0 - coverage, out=self.ink)
        else:
            np.maximum(self.ink, coverage, out=self.ink)

    def undo(self):
        """Remove the last stroke (or, with none left, the loaded image); False if blank already."""
        self._in_progress = False
        if self.strokes:
            self.strokes.pop()
        elif self.background.any():
            self.background[:] = 0
        else:
            return False
        self._repaint()
        return True

    def clear(self):
        self.strokes.clear()
        self._in_progress = False
        self.background[:] = 0
        self.ink[:] = 0

    def load(self, image):
        """Start over from a 28×28 image in [0, 1]; new strokes go on top of it."""
        self.clear()
        self.background[:] = np.clip(image, 0.0, 1.0)
        self.ink[:] = self.background

    def _repaint(self):
        self.ink[:] = self.background
        for erase, width, points in self.strokes:
            self._paint(points[0], points[0], width, erase)
            for p0, p1 in itertools.pairwise(points):
                self._paint(p0, p1, width, erase)
