"""Drawings to MNIST: make any picture of a digit look like an MNIST digit.

MNIST digits were made by scaling each handwritten digit so that its longer
side is 20 pixels, keeping its aspect ratio, with anti-aliasing, then placing
it in a 28×28 field so that its centre of mass sits at the centre. A person
draws big or small, anywhere on the canvas: doing the same to the drawing is
what lets a network trained on MNIST read it.
"""

import numpy as np

from dnngui.core.shapes import SIDE

SIZE = SIDE
BOX = 20  # the longer side of the digit's bounding box, in pixels
CENTRE = 14.0  # where MNIST puts the centre of mass, in pixel-index coordinates
INK = 0.05  # pixels above this count as ink for the bounding box
MIN_INK = 2.0  # less ink than about two full pixels of a 28-wide image is "nothing drawn"


def _resample_matrices(n_out, n_src, scale, out_centre, src_centre):
    """(m, n_out, n_src) weights taking a row of source pixels to output pixels, one matrix per image.

    scale, src_centre: (m,). Output pixel i covers [i, i+1) in output units, which
    maps to [(i − out_centre)·scale + src_centre, …) in source units. Shrinking
    (scale ≥ 1) averages the source over that span (area averaging, which
    anti-aliases); enlarging interpolates linearly between source pixel centres.
    """
    i = np.arange(n_out)[None, :, None]
    j = np.arange(n_src)[None, None, :]
    scale = np.asarray(scale, np.float64)[:, None, None]
    src_centre = np.asarray(src_centre, np.float64)[:, None, None]
    # each image's matrix is made only the way it is used (making both for every image took twice as long)
    shrunk = scale[:, 0, 0] >= 1.0
    out = np.empty((len(scale), n_out, n_src))
    s, c = scale[shrunk], src_centre[shrunk]
    lo = (i - out_centre) * s + c
    out[shrunk] = np.clip(np.minimum(lo + s, j + 1) - np.maximum(lo, j), 0.0, None) / s  # averaged
    s, c = scale[~shrunk], src_centre[~shrunk]
    centre = (i + 0.5 - out_centre) * s + c
    out[~shrunk] = np.clip(1.0 - np.abs(centre - (j + 0.5)), 0.0, None)  # interpolated
    return out


def _first(flags):
    """The index of the first True along the last axis of (m, n) flags (0 where there is none)."""
    return np.argmax(flags, axis=1)


def to_mnist_batch(images):
    """(X, drawn): float32 (m, 784) network inputs for m drawings at once, and which were not blank.

    images: (m, H, W), 0 = background, 1 = ink; each is treated exactly as
    :func:`to_mnist` treats one (the rows of blank drawings are zeros).
    """
    images = np.clip(np.asarray(images, np.float64), 0.0, 1.0)
    if images.ndim != 3 or images.shape[1] == 0 or images.shape[2] == 0:
        raise ValueError(f"to_mnist_batch needs (m, H, W) images, got shape {images.shape}")
    m, height, width = images.shape
    mass = images.sum(axis=(1, 2))
    inky = images > INK
    rows, cols = inky.any(axis=2), inky.any(axis=1)
    drawn = (mass >= MIN_INK * max(height, width) / SIZE) & rows.any(axis=1)  # a stroke's ink grows with the side
    tall = height - _first(rows[:, ::-1]) - _first(rows)
    wide = width - _first(cols[:, ::-1]) - _first(cols)
    scale = np.where(drawn, np.maximum(tall, wide), BOX) / BOX  # source pixels per output pixel
    mass = np.where(drawn, mass, 1.0)
    com_y = images.sum(axis=2) @ np.arange(height) / mass
    com_x = images.sum(axis=1) @ np.arange(width) / mass
    # pixel-index coordinates to span coordinates (pixel i covers [i, i+1)): + 0.5
    Ry = _resample_matrices(SIZE, height, scale, CENTRE + 0.5, com_y + 0.5)
    Rx = _resample_matrices(SIZE, width, scale, CENTRE + 0.5, com_x + 0.5)
    digits = np.clip(Ry @ images @ Rx.transpose(0, 2, 1), 0.0, 1.0)
    digits[~drawn] = 0.0
    return digits.astype(np.float32).reshape(m, -1), drawn


def to_mnist(image):
    """float32 (784,) in [0, 1], laid out like an MNIST digit; None if nothing is drawn.

    image: 2-D array of any size, 0 = background, 1 = ink (values are clipped
    to [0, 1]). The ink's bounding box is scaled so its longer side is 20
    pixels (area-averaged), and placed in 28×28 with its centre of mass at
    the centre. An empty or nearly empty image gives None, so a blank canvas
    never gets a guess.
    """
    image = np.asarray(image)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"to_mnist needs a 2-D image, got shape {image.shape}")
    X, drawn = to_mnist_batch(image[None])
    return X[0] if drawn[0] else None


def pull_back(image, gradient):
    """A gradient with respect to the network input (784,) carried back to the drawing ``image`` (H, W).

    With the crop, scale and centre held as they are, :func:`to_mnist` is linear,
    x = Ry·image·Rxᵀ, so ∂J/∂image = Ryᵀ·∂J/∂x·Rx (its final clip to [0, 1] taken as
    the identity): where on the canvas more ink would change the cost, and how."""
    image = np.clip(np.asarray(image, np.float64), 0.0, 1.0)
    height, width = image.shape
    mass = image.sum()
    inky = image > INK
    rows, cols = np.flatnonzero(inky.any(axis=1)), np.flatnonzero(inky.any(axis=0))
    if mass <= 0 or rows.size == 0:
        return np.zeros_like(image)
    scale = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) / BOX
    com_y = image.sum(axis=1) @ np.arange(height) / mass
    com_x = image.sum(axis=0) @ np.arange(width) / mass
    Ry = _resample_matrices(SIZE, height, [scale], CENTRE + 0.5, [com_y + 0.5])[0]
    Rx = _resample_matrices(SIZE, width, [scale], CENTRE + 0.5, [com_x + 0.5])[0]
    return Ry.T @ np.asarray(gradient, np.float64).reshape(SIZE, SIZE) @ Rx
