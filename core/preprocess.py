"""Drawings to MNIST: make any picture of a digit look like an MNIST digit.

MNIST digits were made by scaling each handwritten digit so that its longer
side is 20 pixels, keeping its aspect ratio, with anti-aliasing, then placing
it in a 28×28 field so that its centre of mass sits at the centre. A person
draws big or small, anywhere on the canvas: doing the same to the drawing is
what lets a network trained on MNIST read it.
"""

import numpy as np

SIZE = 28
BOX = 20  # the longer side of the digit's bounding box, in pixels
CENTRE = 14.0  # where MNIST puts the centre of mass, in pixel-index coordinates
INK = 0.05  # pixels above this count as ink for the bounding box
MIN_INK = 2.0  # less ink than about two full pixels of a 28-wide image is "nothing drawn"


def _resample_matrix(n_out, n_src, scale, out_centre, src_centre):
    """(n_out, n_src) weights taking a row of source pixels to output pixels.

    Output pixel i covers [i, i+1) in output units, which maps to
    [(i − out_centre)·scale + src_centre, …) in source units. Shrinking
    (scale ≥ 1) averages the source over that span (area averaging, which
    anti-aliases); enlarging interpolates linearly between source pixel centres.
    """
    i = np.arange(n_out)[:, None]
    j = np.arange(n_src)[None, :]
    if scale >= 1.0:
        lo = (i - out_centre) * scale + src_centre
        hi = lo + scale
        overlap = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0.0, None)
        return overlap / scale
    centre = (i + 0.5 - out_centre) * scale + src_centre
    return np.clip(1.0 - np.abs(centre - (j + 0.5)), 0.0, None)


def to_mnist(image):
    """float32 (784,) in [0, 1], laid out like an MNIST digit; None if nothing is drawn.

    image: 2-D array of any size, 0 = background, 1 = ink (values are clipped
    to [0, 1]). The ink's bounding box is scaled so its longer side is 20
    pixels (area-averaged), and placed in 28×28 with its centre of mass at
    the centre. An empty or nearly empty image gives None, so a blank canvas
    never gets a guess.
    """
    image = np.clip(np.asarray(image, np.float64), 0.0, 1.0)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"to_mnist needs a 2-D image, got shape {image.shape}")
    if image.sum() < MIN_INK * max(image.shape) / SIZE:  # a stroke's ink grows with the image's side
        return None
    rows = np.flatnonzero((image > INK).any(axis=1))
    cols = np.flatnonzero((image > INK).any(axis=0))
    if rows.size == 0:
        return None
    longest = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    scale = longest / BOX  # source pixels per output pixel
    mass = image.sum()
    com_y = (image.sum(axis=1) @ np.arange(image.shape[0])) / mass
    com_x = (image.sum(axis=0) @ np.arange(image.shape[1])) / mass
    # pixel-index coordinates to span coordinates (pixel i covers [i, i+1)): + 0.5
    Ry = _resample_matrix(SIZE, image.shape[0], scale, CENTRE + 0.5, com_y + 0.5)
    Rx = _resample_matrix(SIZE, image.shape[1], scale, CENTRE + 0.5, com_x + 0.5)
    digit = Ry @ image @ Rx.T
    return np.clip(digit, 0.0, 1.0).astype(np.float32).reshape(-1)
