"""Ink on the 28×28 canvas: strokes painted with a soft, anti-aliased round brush.

Pure NumPy (no Qt): the canvas widget paints a person's strokes with it, and
training paints the pen-drawn digits with it (:func:`render`, many digits at
once), so both reach the network through the very same brush. Points are in cell units: (x, y) with (0, 0) the
top-left corner of the top-left cell and (28, 28) the bottom-right corner.
A segment between two pen positions is painted as a capsule (a round brush
dragged along it), so fast pen movements leave continuous strokes; coverage is
computed from the exact distance of each cell centre to the segment, with a
soft edge about one cell wide, like MNIST's grey stroke borders.
"""

import itertools

import numpy as np

from dnngui.core.shapes import SIDE

DEFAULT_WIDTH = 2.2  # brush diameter in cells: MNIST-like strokes for a digit drawn about 20 cells tall
MIN_WIDTH = 0.8
MAX_WIDTH = 6.0
MAX_CLEARS = 20  # how many Clears Undo can take back
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


PIECE = 2.0  # the longest piece, in cells, that render() cuts a segment into
DOT = 1e-6  # a piece shorter than this, in cells, is painted as a dot


def flat_segments(xy, stroke):
    """(p0, p1, at) for points laid end to end: xy (P, 2) and the stroke (P,) of each, strokes contiguous.

    Consecutive points of a stroke make a segment; a one-point stroke is a dot, a
    segment from the point to itself, as the canvas paints a click. ``at`` is the
    index of each segment's first point (the dots come last).
    """
    same = stroke[1:] == stroke[:-1]
    first = np.ones(len(stroke), bool)
    first[1:] = ~same
    last = np.ones(len(stroke), bool)
    last[:-1] = ~same
    at = np.concatenate([np.flatnonzero(same), np.flatnonzero(first & last)])
    ends = np.concatenate([np.flatnonzero(same) + 1, np.flatnonzero(first & last)])
    return xy[at], xy[ends], at


def segments(strokes):
    """(p0, p1): float64 (S, 2) each, the segments the brush is dragged along for ``strokes``.

    strokes: a list of (k, 2) point arrays in cell units; see :func:`flat_segments`.
    """
    points = [np.asarray(stroke, np.float64).reshape(-1, 2) for stroke in strokes]
    if not points:
        return np.zeros((0, 2)), np.zeros((0, 2))
    stroke = np.repeat(np.arange(len(points)), [len(p) for p in points])
    p0, p1, _ = flat_segments(np.concatenate(points), stroke)
    return p0, p1


def render(p0, p1, owner, widths, n):
    """(n, 28, 28) float32 ink of many drawings at once, as the canvas would paint them.

    p0, p1: (S, 2) segments in cell units; owner: (S,) the drawing each belongs to;
    widths: (n,) each drawing's brush diameter. The result equals painting every
    segment with :func:`segment_coverage` and keeping the maximum, but each segment
    is cut into pieces at most PIECE cells long and each piece reaches only the
    small square of cells its brush can touch, so a digit costs a few thousand
    distances instead of tens of thousands.
    """
    p0 = np.asarray(p0, np.float64)
    direction = np.asarray(p1, np.float64) - p0
    widths = np.asarray(widths, np.float64)
    pieces = np.maximum(1, np.ceil(np.hypot(*direction.T) / PIECE)).astype(np.intp)
    seg = np.repeat(np.arange(len(p0)), pieces)
    k = np.arange(len(seg)) - np.repeat(np.cumsum(pieces) - pieces, pieces)  # the piece's number in its segment
    a = p0[seg] + direction[seg] * (k / pieces[seg])[:, None]
    d = direction[seg] / pieces[seg][:, None]
    radius = widths[owner[seg]] / 2
    reach = (widths.max(initial=0.0) / 2 + SOFTNESS / 2) + PIECE / 2  # from a piece's middle to the last inked centre
    side = 2 * int(np.ceil(reach + 0.5))
    origin = np.floor(a + d / 2).astype(np.intp) - (side // 2 - 1)  # (pieces, 2): the square's top-left cell
    cols = origin[:, 0, None] + np.arange(side)  # (pieces, side): the square's columns
    rows = origin[:, 1, None] + np.arange(side)  # and its rows
    # cell centres relative to the piece's start, (pieces, 1, side) and (pieces, side, 1)
    cx = (cols + 0.5 - a[:, 0, None]).astype(np.float32)[:, None, :]
    cy = (rows + 0.5 - a[:, 1, None]).astype(np.float32)[:, :, None]
    d = d.astype(np.float32)
    dx, dy = d[:, 0, None, None], d[:, 1, None, None]
    length2 = dx * dx + dy * dy
    # a dot (or a piece under a millionth of a cell, whose 1/length² overflows float32): t = 0
    inverse = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > DOT**2)
    t = cx * (dx * inverse) + cy * (dy * inverse)  # where along the piece each centre is nearest, 0 to 1
    np.clip(t, 0.0, 1.0, out=t)
    # (ex, ey) = the centre − its nearest point on the piece, computed in place: each full-size
    # temporary costs its page faults, and these arrays are a few megabytes
    ex = t * dx
    np.subtract(cx, ex, out=ex)
    ey = np.subtract(cy, np.multiply(t, dy, out=t), out=t)
    ex *= ex
    ey *= ey
    distance = np.sqrt(np.add(ex, ey, out=ex), out=ex)
    coverage = np.subtract(radius[:, None, None].astype(np.float32), distance, out=distance)
    coverage *= np.float32(1.0 / SOFTNESS)
    coverage += 0.5
    np.clip(coverage, 0.0, 1.0, out=coverage)
    coverage *= ((rows >= 0) & (rows < SIDE))[:, :, None] & ((cols >= 0) & (cols < SIDE))[:, None, :]
    index = np.int32 if n * SIDE * SIDE < 2**31 else np.intp  # half the bytes of intp to write and read
    row_starts = (owner[seg, None] * SIDE + np.clip(rows, 0, SIDE - 1)) * SIDE  # drawing's cell 0 + row·28
    flat = row_starts.astype(index)[:, :, None] + np.clip(cols, 0, SIDE - 1).astype(index)[:, None, :]
    ink = np.zeros(n * SIDE * SIDE, np.float32)
    np.maximum.at(ink, flat.ravel(), coverage.ravel())
    return ink.reshape(n, SIDE, SIDE)


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
        self._cleared = []  # what each Clear wiped, (strokes, background), so Undo can bring it back
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

    def plain_strokes(self):
        """((width, points), …) of the strokes drawn, when that is all there is; () if anything was
        erased or the drawing began from a loaded image (it could not be drawn again from its strokes)."""
        if self.background.any() or any(erase for erase, _, _ in self.strokes):
            return ()
        return tuple((width, np.array(points, np.float32)) for _, width, points in self.strokes)

    def undo(self):
        """Remove the last stroke; with none left, bring back what the last Clear wiped, or remove
        the loaded image. False if there is nothing to undo."""
        self._in_progress = False
        if self.strokes:
            self.strokes.pop()
        elif self._cleared:
            self.strokes, background = self._cleared.pop()
            self.background[:] = background
        elif self.background.any():
            self.background[:] = 0
        else:
            return False
        self._repaint()
        return True

    def clear(self):
        """Wipe the canvas; Undo brings it back."""
        if self.strokes or self.background.any():
            self._remember()
        self._reset()

    def _remember(self):
        """Keep what is on the canvas for Undo, before it is wiped."""
        self._cleared.append((self.strokes, self.background.copy()))
        del self._cleared[:-MAX_CLEARS]

    def _reset(self):
        self.strokes = []
        self._in_progress = False
        self.background[:] = 0
        self.ink[:] = 0

    def load(self, image):
        """Start over from a 28×28 image in [0, 1]; new strokes go on top of it. Undo brings back what
        was there before (a blank canvas too), as after Clear."""
        self._remember()
        self._reset()
        self.background[:] = np.clip(image, 0.0, 1.0)
        self.ink[:] = self.background

    def _repaint(self):
        self.ink[:] = self.background
        for erase, width, points in self.strokes:
            self._paint(points[0], points[0], width, erase)
            for p0, p1 in itertools.pairwise(points):
                self._paint(p0, p1, width, erase)
