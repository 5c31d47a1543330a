"""Drawing pen-written digits on the canvas, as a person would: the lever image distortions lack.

A pen digit is strokes (core.pendigits). To learn from it the network must see
it as it sees a person's drawing: strokes placed on the 28-cell canvas, painted
with the canvas's brush (core.ink), then preprocessed like MNIST
(core.preprocess). :func:`draw` does that with the canvas's default brush,
the digit standing 20 cells tall: the held-out writers are read this way.
:class:`Pen` does it with a random pen each time, so that a digit used for
training is drawn afresh: another size, place, slant and rotation, another
brush width, the points jittered, some dropped, sometimes smoothed into curves.
Everything is vectorised over the digits and their points.
"""

from dataclasses import dataclass

import numpy as np

from dnngui.core import ink
from dnngui.core.pendigits import ranges
from dnngui.core.preprocess import to_mnist_batch

CANVAS = float(ink.SIDE)
MARGIN = 1.0  # cells kept free at the canvas's edges
PLAIN_SIZE = 20.0  # the longer side, in cells, of a digit drawn by draw()
CHUNK = 512  # digits given a random pen at a time by a Pool (a run's random stream depends on it)
PAINT_CHUNK = 128  # digits painted at once (see _paint)


@dataclass(frozen=True)
class _Points:
    """The points of some pen digits, flat: xy (P, 2) float64 and the stroke (P,) and digit (P,) of each."""

    xy: np.ndarray
    stroke: np.ndarray
    digit: np.ndarray


def _gather(pen, index):
    """The points of digits ``index`` of ``pen``, numbered 0 … m − 1 in that order."""
    index = np.asarray(index, np.intp)
    stroke_ids = ranges(pen.digits[index], pen.digits[index + 1])
    stroke_digit = np.repeat(np.arange(len(index)), pen.digits[index + 1] - pen.digits[index])
    point_ids = ranges(pen.strokes[stroke_ids], pen.strokes[stroke_ids + 1])
    per_stroke = pen.strokes[stroke_ids + 1] - pen.strokes[stroke_ids]
    stroke = np.repeat(np.arange(len(stroke_ids)), per_stroke)
    xy = pen.points[point_ids].astype(np.float64)
    xy[:, 1] = -xy[:, 1]  # the tablet's y grows upwards, the canvas's downwards
    return _Points(xy, stroke, stroke_digit[stroke])


def _per_digit(values, digit, m, reduce):
    out = np.full((m, values.shape[1]), np.inf if reduce is np.minimum else -np.inf)
    reduce.at(out, digit, values)
    return out


def _normalise(points, m):
    """The points with each digit's bounding box centred on 0 and its longer side 1."""
    lo = _per_digit(points.xy, points.digit, m, np.minimum)
    hi = _per_digit(points.xy, points.digit, m, np.maximum)
    extent = np.maximum((hi - lo).max(axis=1), 1.0)
    xy = (points.xy - ((lo + hi) / 2)[points.digit]) / extent[points.digit, None]
    return _Points(xy, points.stroke, points.digit)


def _paint(points, widths):
    """uint8 (m, 28, 28) network inputs (255 = ink) for points already in canvas cells.

    Painted PAINT_CHUNK digits at a time: larger batches spill out of the
    processor's caches. A random pen drew a digit in about 300 µs in one go and
    170 µs in chunks of 512; in chunks of 128, with core.ink.render working in
    place, 130 µs. Each digit is painted alone: the chunks change the time,
    never the ink."""
    m = len(widths)
    p0, p1, at = ink.flat_segments(points.xy, points.stroke)
    digit = points.digit[at]
    order = np.argsort(digit, kind="stable")
    p0, p1, digit = p0[order], p1[order], digit[order]
    images = np.empty((m, ink.SIDE, ink.SIDE), np.uint8)
    bounds = np.searchsorted(digit, np.arange(0, m + PAINT_CHUNK, PAINT_CHUNK))
    for k, begin in enumerate(range(0, m, PAINT_CHUNK)):
        part = slice(bounds[k], bounds[k + 1])
        count = min(PAINT_CHUNK, m - begin)
        painted = ink.render(p0[part], p1[part], digit[part] - begin, widths[begin : begin + count], count)
        X, _ = to_mnist_batch(painted)
        images[begin : begin + count] = np.rint(X * 255.0).astype(np.uint8).reshape(count, ink.SIDE, ink.SIDE)
    return images


def canvas_strokes(pen, i, size=PLAIN_SIZE):
    """Digit i of ``pen`` as canvas strokes: float (k, 2) arrays in cells, its longer side ``size``, centred."""
    points = _normalise(_gather(pen, [i]), 1)
    xy = points.xy * size + CANVAS / 2
    cuts = np.flatnonzero(np.diff(points.stroke)) + 1
    return np.split(xy, cuts)


def draw(pen, index=None, size=PLAIN_SIZE, width=ink.DEFAULT_WIDTH):
    """uint8 (m, 28, 28): digits ``index`` (default all) drawn on the canvas with one brush, as a person would."""
    index = np.arange(len(pen)) if index is None else np.asarray(index)
    points = _normalise(_gather(pen, index), len(index))
    placed = _Points(points.xy * size + CANVAS / 2, points.stroke, points.digit)
    return _paint(placed, np.full(len(index), float(width)))


@dataclass(frozen=True)
class Pen:
    """The ranges of a random pen; :meth:`draw` draws digits with a fresh one each.

    size: the digit's longer side on the canvas, in cells; width: the brush's
    diameter in cells (the canvas allows 0.8 to 6, 2.2 by default); rotate: up
    to this many degrees; slant: up to this shear (x += slant·y); stretch: the
    width's factor; jitter: up to this noise on each point, as a share of the
    size; drop: up to this share of each digit's inner points left out (a pen
    sampled more coarsely); smooth: the share of digits whose strokes become
    curves through their points (a mouse's dense path rather than a tablet's
    points every 100 ms). styles: the share of zeros, ones and sevens given a
    stroke of a style many people write and few training writers did (see
    :func:`_add_styles`): a zero struck through (Ø), a one with a flag or a
    base, a crossed seven.
    """

    size: tuple = (12.0, 25.0)
    width: tuple = (1.0, 3.2)
    rotate: float = 15.0
    slant: float = 0.4
    stretch: tuple = (0.8, 1.2)
    jitter: float = 0.015
    drop: float = 0.4
    smooth: float = 0.5
    styles: float = 0.0

    def draw(self, pen, index, rng):
        """uint8 (m, 28, 28) network inputs: digits ``index`` of ``pen``, each drawn with a random pen."""
        index = np.asarray(index)
        m = len(index)
        points = _normalise(_gather(pen, index), m)
        points = self._drop(points, m, rng)
        points = self._smooth(points, m, rng)
        if self.styles:
            points = _add_styles(points, pen.labels[index], self.styles, rng)
        xy = self._transform(points, m, rng)
        noise = rng.uniform(0, self.jitter, m)[points.digit, None]
        xy = xy + rng.standard_normal(xy.shape) * noise
        xy = self._place(_Points(xy, points.stroke, points.digit), m, rng)
        return _paint(_Points(xy, points.stroke, points.digit), rng.uniform(*self.width, m))

    def _drop(self, points, m, rng):
        stroke = points.stroke
        inner = np.zeros(len(stroke), bool)
        inner[1:-1] = (stroke[1:-1] == stroke[:-2]) & (stroke[1:-1] == stroke[2:])
        share = rng.uniform(0, self.drop, m)[points.digit]
        keep = ~inner | (rng.random(len(stroke)) >= share)
        return _Points(points.xy[keep], stroke[keep], points.digit[keep])

    def _smooth(self, points, m, rng):
        """Catmull–Rom curves through the points of the chosen digits: a point more in each segment's middle."""
        chosen = (rng.random(m) < self.smooth)[points.digit]
        xy, stroke = points.xy, points.stroke
        same = stroke[1:] == stroke[:-1]
        segment = same & chosen[1:]
        if not segment.any():
            return points
        at = np.flatnonzero(segment)  # segment from point at to at + 1
        before = np.where((at > 0) & (stroke[np.maximum(at - 1, 0)] == stroke[at]), at - 1, at)
        after = np.where((at + 2 < len(xy)) & (stroke[np.minimum(at + 2, len(xy) - 1)] == stroke[at]), at + 2, at + 1)
        q0, q1, q2, q3 = xy[before], xy[at], xy[at + 1], xy[after]
        t = np.array([0.5])[None, :, None]
        curve = 0.5 * (
            2 * q1[:, None]
            + (q2 - q0)[:, None] * t
            + (2 * q0 - 5 * q1 + 4 * q2 - q3)[:, None] * t**2
            + (3 * q1 - q0 - 3 * q2 + q3)[:, None] * t**3
        )
        # each new point follows its segment's first point
        key = np.concatenate([np.arange(len(xy)) * 2, at * 2 + 1])
        order = np.argsort(key, kind="stable")
        new_xy = np.concatenate([xy, curve.reshape(-1, 2)])[order]
        new_stroke = np.concatenate([stroke, stroke[at]])[order]
        new_digit = np.concatenate([points.digit, points.digit[at]])[order]
        return _Points(new_xy, new_stroke, new_digit)

    def _transform(self, points, m, rng):
        """Each digit rotated, slanted, stretched and sized: cells, still centred on 0."""
        angle = np.deg2rad(rng.uniform(-self.rotate, self.rotate, m))
        slant = rng.uniform(-self.slant, self.slant, m)
        stretch = rng.uniform(*self.stretch, m)
        size = rng.uniform(*self.size, m)
        cos, sin = np.cos(angle), np.sin(angle)
        # M = size · R(angle) · [[stretch, slant], [0, 1]], acting on (x, y)
        a, b = size * cos * stretch, size * (cos * slant - sin)
        c, d = size * sin * stretch, size * (sin * slant + cos)
        x, y = points.xy[:, 0], points.xy[:, 1]
        k = points.digit
        return np.stack([a[k] * x + b[k] * y, c[k] * x + d[k] * y], axis=1)

    def _place(self, points, m, rng):
        """Each digit shrunk if it overflows the canvas, then put at a random place on it."""
        lo = _per_digit(points.xy, points.digit, m, np.minimum)
        hi = _per_digit(points.xy, points.digit, m, np.maximum)
        room = CANVAS - 2 * MARGIN
        shrink = np.minimum(1.0, room / np.maximum((hi - lo).max(axis=1), 1e-9))
        lo, hi = lo * shrink[:, None], hi * shrink[:, None]
        free = np.maximum(CANVAS - 2 * MARGIN - (hi - lo), 0.0)  # (m, 2): the room left around the box
        offset = MARGIN - lo + free * rng.random((m, 2))
        return points.xy * shrink[points.digit, None] + offset[points.digit]


def _add_styles(points, labels, share, rng):
    """The points with a stroke more on ``share`` of the zeros, ones and sevens (normalised points).

    Zero: a bar across it, slashed (Ø) or level. One: a flag up to its top, a
    base under its foot, or both. Seven: a short bar across its stem. Each new
    stroke is three points, so the pen's jitter bends it a little as a hand would.
    """
    m = len(labels)
    labels = np.asarray(labels)
    chosen = (rng.random(m) < share) & np.isin(labels, (0, 1, 7))
    if not chosen.any():
        return points
    lo = _per_digit(points.xy, points.digit, m, np.minimum)
    hi = _per_digit(points.xy, points.digit, m, np.maximum)
    width, height = (hi - lo)[:, 0], (hi - lo)[:, 1]
    order = np.lexsort((points.xy[:, 1], points.digit))  # each digit's points, top first
    first = np.searchsorted(points.digit[order], np.arange(m))
    last = np.searchsorted(points.digit[order], np.arange(m), side="right") - 1
    top = points.xy[order[np.minimum(first, len(order) - 1)]]  # the highest point of each digit
    foot = points.xy[order[np.maximum(last, 0)]]  # and the lowest
    u = rng.random((m, 5))  # the same draws for every digit, whichever style it gets
    starts, ends, owners = [], [], []

    def stroke(which, start, end):
        starts.append(start[which])
        ends.append(end[which])
        owners.append(np.flatnonzero(which))

    zero = chosen & (labels == 0)
    slashed = zero & (u[:, 0] < 0.6)
    over = 0.15 * width
    stroke(slashed, np.stack([lo[:, 0] - over, hi[:, 1] + 0.05], 1), np.stack([hi[:, 0] + over, lo[:, 1] - 0.05], 1))
    level = zero & ~slashed
    mid = (lo[:, 1] + hi[:, 1]) / 2 + (u[:, 1] - 0.5) * 0.2 * height
    stroke(level, np.stack([lo[:, 0] - over, mid], 1), np.stack([hi[:, 0] + over, mid], 1))
    one = chosen & (labels == 1)
    flag = one & (u[:, 0] < 0.7)
    base = one & ((u[:, 0] >= 0.7) | (u[:, 1] < 0.4))
    length = (0.2 + 0.35 * u[:, 2]) * height  # long flags too: the ones most often read as 7
    slope = 0.5 + 0.7 * u[:, 4]  # from 27° to 50° below level, never a seven's flat bar
    stroke(flag, top + np.stack([-length, slope * length], 1), top)
    reach = np.stack([(0.12 + 0.12 * u[:, 3]) * height, np.zeros(m)], 1)  # level, to each side of the foot
    stroke(base, foot - reach, foot + reach)
    seven = chosen & (labels == 7)
    centre = (lo + hi) / 2
    y = centre[:, 1] + (u[:, 1] - 0.5) * 0.2 * height
    x = centre[:, 0] + (u[:, 2] - 0.5) * 0.2 * width
    half = (0.15 + 0.1 * u[:, 3]) * height
    stroke(seven, np.stack([x - half, y], 1), np.stack([x + half, y], 1))

    start, end, owner = np.concatenate(starts), np.concatenate(ends), np.concatenate(owners)
    t = np.array([0.0, 0.5, 1.0])[None, :, None]
    new_xy = (start[:, None] + (end - start)[:, None] * t).reshape(-1, 2)
    new_stroke = np.repeat(points.stroke.max() + 1 + np.arange(len(owner)), 3)
    return _Points(
        np.concatenate([points.xy, new_xy]),
        np.concatenate([points.stroke, new_stroke]),
        np.concatenate([points.digit, np.repeat(owner, 3)]),
    )


class Pool:
    """Drawings of pen digits for training: ``slots`` of each digit, drawn afresh a share at a time.

    The first epoch draws every digit; the rest of the budget (slots − 1 more
    drawings of each digit) is spread evenly over the next quarter of the run,
    while the learning rate is high and variety counts most, so a long run pays
    little per epoch for drawing. Each epoch trains on one drawing of each
    digit: the new one for the digits just drawn, one of the earlier ones for
    the rest.
    """

    CHUNK = CHUNK  # digits given a random pen at a time; the shipped model's run depends on it

    def __init__(self, strokes, slots, epochs, pen=None):
        self.strokes, self.slots = strokes, slots
        self.pen = pen or Pen()
        n = len(strokes)
        spread = max(1, epochs // 4)  # the epochs after the first that draw
        self.per_epoch = min(n, -(-n * (slots - 1) // spread))
        self.last_drawing_epoch = 1 + spread
        self.drawn = np.zeros(n, np.int64)  # how often each digit has been drawn
        self._next = 0  # the digit the next epoch's share starts at

    def refresh(self, epoch, rows, rng):
        """Draw this epoch's share into ``rows`` (slots·n, 784) uint8; return the row of each digit to train on.

        Drawing k of digit i lives in row (k mod slots)·n + i.
        """
        n = len(self.strokes)
        share = n if epoch == 1 else self.per_epoch if epoch <= self.last_drawing_epoch else 0
        index = (self._next + np.arange(share)) % n
        self._next = (self._next + share) % n
        slot = self.drawn[index] % self.slots
        for begin in range(0, share, self.CHUNK):  # the pens are drawn chunk by chunk: one run, one stream
            part = index[begin : begin + self.CHUNK]
            images = self.pen.draw(self.strokes, part, rng)
            rows[slot[begin : begin + self.CHUNK] * n + part] = images.reshape(len(part), -1)
        self.drawn[index] += 1
        pick = rng.integers(0, np.minimum(self.drawn, self.slots))
        pick[index] = slot
        return pick * n + np.arange(n)
