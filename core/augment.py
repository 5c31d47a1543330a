"""Random distortions of a batch of digits: what makes an MLP robust to hand-drawn input.

People draw digits slanted, rotated, off-centre, bigger or smaller than MNIST's,
with thicker or thinner pens. Each batch is shown to the network distorted a
little differently: a random affine map per sample (shift, rotation, scale,
shear) and, on some samples, a thicker or thinner stroke. Everything is
vectorised over the batch.
"""

from dataclasses import dataclass

import numpy as np

from core.shapes import SIDE

_CENTRE = (SIDE - 1) / 2
_CROSS = ((0, 1), (2, 1), (1, 0), (1, 2))  # the four neighbours of the 3×3 cross
_GRID_Y, _GRID_X = (g.reshape(-1) - _CENTRE for g in np.mgrid[0:SIDE, 0:SIDE].astype(np.float32))


@dataclass(frozen=True)
class Augmenter:
    """Distortion ranges; calling it distorts a batch.

    shift: up to this many pixels each way; rotate: up to this many degrees;
    scale: (low, high) size factor; shear: up to this slant (x += shear·y);
    thicken, thin: the share of samples whose strokes get a 3×3 dilation or
    erosion, both with a cross-shaped element (a full 3×3 square turns MNIST's
    2-pixel strokes into blobs, or erases them).
    elastic: strength (in pixels) of an elastic distortion, 0 for none: a random
    displacement field smoothed with a Gaussian of ``elastic_sigma`` pixels
    (Simard, Steinkraus & Platt, 2003). Off by default: it costs about as much
    as the rest together.
    """

    shift: float = 3.0
    rotate: float = 15.0
    scale: tuple = (0.85, 1.15)
    shear: float = 0.15
    thicken: float = 0.2
    thin: float = 0.2
    elastic: float = 0.0
    elastic_sigma: float = 4.0

    def __call__(self, rows, rng):
        """rows: float32 (m, 784) in [0, 1] → a new distorted (m, 784) float32 array."""
        images = rows.reshape(-1, SIDE, SIDE)
        images = self._change_thickness(images, rng)
        return self._affine(images, rng)

    def _change_thickness(self, images, rng):
        m = images.shape[0]
        pick = rng.random(m)
        thicker = pick < self.thicken
        thinner = (pick >= self.thicken) & (pick < self.thicken + self.thin)
        if not (thicker.any() or thinner.any()):
            return images
        images = images.copy()
        images[thicker] = _morph(images[thicker], np.maximum)
        images[thinner] = _morph(images[thinner], np.minimum)
        return images

    def _affine(self, images, rng):
        m = images.shape[0]
        angle = np.deg2rad(rng.uniform(-self.rotate, self.rotate, m))
        size = rng.uniform(*self.scale, m)
        slant = rng.uniform(-self.shear, self.shear, m)
        ty, tx = rng.uniform(-self.shift, self.shift, (2, m))
        # forward map: p' = R(angle)·Shear(slant)·size·p + t, about the centre.
        # Each output pixel reads the input at the inverse map of its position.
        cos, sin = np.cos(angle), np.sin(angle)
        # M = R·Sh·size, with Sh = [[1, slant], [0, 1]] acting on (x, y)
        a, b = cos * size, (cos * slant - sin) * size
        c, d = sin * size, (sin * slant + cos) * size
        det = a * d - b * c
        ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
        ox = _GRID_X[None, :] - tx[:, None]
        oy = _GRID_Y[None, :] - ty[:, None]
        src_x = ia[:, None] * ox + ib[:, None] * oy + _CENTRE
        src_y = ic[:, None] * ox + id_[:, None] * oy + _CENTRE
        if self.elastic > 0:
            src_x = src_x + self._displacement(m, rng)
            src_y = src_y + self._displacement(m, rng)
        return _bilinear(images, src_y, src_x)

    def _displacement(self, m, rng):
        """(m, 784) smooth random offsets: uniform noise blurred by a separable Gaussian."""
        d = np.arange(SIDE, dtype=np.float32)
        blur = np.exp(-((d[:, None] - d[None, :]) ** 2) / (2 * self.elastic_sigma**2))
        blur /= blur.sum(axis=1, keepdims=True)
        noise = rng.uniform(-1, 1, (m, SIDE, SIDE)).astype(np.float32)
        field = blur @ noise @ blur.T
        field /= np.abs(field).max(axis=(1, 2), keepdims=True) + 1e-6  # strength in pixels, whatever the blur
        return (self.elastic * field).reshape(m, -1)


def _morph(images, extreme):
    """Grey-level dilation (np.maximum) or erosion (np.minimum) with the 3×3 cross."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    result = images.copy()
    for dy, dx in _CROSS:
        extreme(result, padded[:, dy : dy + SIDE, dx : dx + SIDE], out=result)
    return result


def _bilinear(images, src_y, src_x):
    """Sample each image (m, 28, 28) at (m, 784) fractional positions; outside is 0."""
    m = images.shape[0]
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1))).reshape(m, -1)  # a 1-pixel border of zeros
    side = SIDE + 2
    y = np.clip(src_y + 1.0, 0.0, side - 1.001)
    x = np.clip(src_x + 1.0, 0.0, side - 1.001)
    y0 = y.astype(np.intp)
    x0 = x.astype(np.intp)
    wy = (y - y0).astype(np.float32)
    wx = (x - x0).astype(np.float32)
    top = y0 * side + x0

    def at(offset):
        return np.take_along_axis(padded, top + offset, axis=1)

    upper = at(0) * (1 - wx) + at(1) * wx
    lower = at(side) * (1 - wx) + at(side + 1) * wx
    return (upper * (1 - wy) + lower * wy).astype(np.float32)
