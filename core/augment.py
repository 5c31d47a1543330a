"""Random distortions of a batch of digits: what makes an MLP robust to hand-drawn input.

People draw digits slanted, rotated, off-centre, bigger or smaller than MNIST's,
with thicker or thinner pens. Each batch is shown to the network distorted a
little differently: a random affine map per sample (shift, rotation, scale,
shear) and, on some samples, a thicker or thinner stroke. Everything is
vectorised over the batch.
"""

from dataclasses import dataclass

import numpy as np

from dnngui.core.shapes import SIDE

_CENTRE = (SIDE - 1) / 2
_CROSS = ((0, 1), (2, 1), (1, 0), (1, 2))  # the four neighbours of the 3×3 cross
_GRID_Y, _GRID_X = (g.reshape(-1) - _CENTRE for g in np.mgrid[0:SIDE, 0:SIDE].astype(np.float32))
_GRID = np.stack([_GRID_X, _GRID_Y, np.ones_like(_GRID_X)])  # (3, 784): each pixel's x, y about the centre, 1


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
        # source = M⁻¹·(grid − t) + centre: one product of (2m, 3) coefficients with the (3, 784) grid
        coefficients = np.empty((2 * m, 3), np.float32)
        coefficients[:m] = np.stack([ia, ib, _CENTRE - ia * tx - ib * ty], axis=1)
        coefficients[m:] = np.stack([ic, id_, _CENTRE - ic * tx - id_ * ty], axis=1)
        source = coefficients @ _GRID
        if self.elastic > 0:
            source[:m] += self._displacement(m, rng)
            source[m:] += self._displacement(m, rng)
        return _bilinear(images, source[m:], source[:m])

    def _displacement(self, m, rng):
        """(m, 784) smooth random offsets: uniform noise blurred by a separable Gaussian."""
        d = np.arange(SIDE, dtype=np.float32)
        blur = np.exp(-((d[:, None] - d[None, :]) ** 2) / (2 * self.elastic_sigma**2))
        blur /= blur.sum(axis=1, keepdims=True)
        noise = rng.uniform(-1, 1, (m, SIDE, SIDE)).astype(np.float32)
        field = blur @ noise @ blur.T
        field /= np.abs(field).max(axis=(1, 2), keepdims=True) + 1e-6  # strength in pixels, whatever the blur
        return (self.elastic * field).reshape(m, -1)


def _padded(images):
    """images (m, 28, 28) with a 1-pixel border of zeros: (m, 30, 30)."""
    padded = np.zeros((images.shape[0], SIDE + 2, SIDE + 2), images.dtype)
    padded[:, 1:-1, 1:-1] = images
    return padded


def _morph(images, extreme):
    """Grey-level dilation (np.maximum) or erosion (np.minimum) with the 3×3 cross."""
    padded = _padded(images)
    result = images.copy()
    for dy, dx in _CROSS:
        extreme(result, padded[:, dy : dy + SIDE, dx : dx + SIDE], out=result)
    return result


def _bilinear(images, src_y, src_x):
    """Sample each image (m, 28, 28) at float32 (m, 784) fractional positions; outside is 0.

    src_y and src_x are overwritten."""
    m = images.shape[0]
    side = SIDE + 2
    padded = _padded(images).reshape(-1)  # every image's pixels end to end, bordered by zeros
    y, x = src_y, src_x
    for v in (y, x):  # positions in the bordered image, kept inside it
        v += 1.0
        np.clip(v, 0.0, side - 1.001, out=v)
    y0, x0 = np.floor(y), np.floor(x)
    wy, wx = y - y0, x - x0
    top = y0.astype(np.intp)  # each position's top-left neighbour, as an index into ``padded``
    top *= side
    top += x0.astype(np.intp)
    top += (np.arange(m) * (side * side))[:, None]
    upper_left = padded.take(top)
    upper = padded.take(top + 1)
    upper -= upper_left
    upper *= wx
    upper += upper_left  # the top pair, blended by wx
    lower_left = padded.take(top + side)
    lower = padded.take(top + side + 1)
    lower -= lower_left
    lower *= wx
    lower += lower_left
    lower -= upper
    lower *= wy
    lower += upper  # then the two pairs, by wy
    return lower
