"""Turn MNIST digits into pen drawings: thin each digit to its skeleton, then redraw
the skeleton with a uniform round pen, as a person drawing with a mouse or a stylus
would. Used to check that preprocessing and the shipped model cope with pen strokes
that are not MNIST's (uniform width, no pressure), at any size."""

import itertools

import numpy as np

from dnngui.core.ink import segment_coverage


def _neighbours(img):
    p = np.pad(img, 1)
    # P2..P9 clockwise from north, as in Zhang & Suen (1984)
    return [p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:], p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]]


def skeleton(mask):
    """Zhang–Suen thinning of a boolean image to one-pixel-wide lines."""
    img = mask.astype(np.uint8)
    changed = True
    while changed:
        changed = False
        for step in range(2):
            n = _neighbours(img)
            count = sum(n)
            ring = [*n, n[0]]
            transitions = sum(((a == 0) & (b == 1)).astype(np.uint8) for a, b in itertools.pairwise(ring))
            if step == 0:
                c1, c2 = n[0] * n[2] * n[4], n[2] * n[4] * n[6]
            else:
                c1, c2 = n[0] * n[2] * n[6], n[0] * n[4] * n[6]
            remove = (img == 1) & (count >= 2) & (count <= 6) & (transitions == 1) & (c1 == 0) & (c2 == 0)
            if remove.any():
                img[remove] = 0
                changed = True
    return img.astype(bool)


def pen_segments(mask):
    """Segments joining 8-connected skeleton pixels, in 28-cell units (pixel centres)."""
    ys, xs = np.nonzero(skeleton(mask))
    points = set(zip(ys.tolist(), xs.tolist(), strict=True))
    segments = []
    for y, x in points:
        for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)):
            if (y + dy, x + dx) in points:
                segments.append(((x + 0.5, y + 0.5), (x + dx + 0.5, y + dy + 0.5)))
        segments.append(((x + 0.5, y + 0.5), (x + 0.5, y + 0.5)))
    return segments


def pen_strokes(mask):
    """The skeleton as pen strokes: polylines in cell units, each a walk along unvisited links."""
    ys, xs = np.nonzero(skeleton(mask))
    points = set(zip(ys.tolist(), xs.tolist(), strict=True))
    links = {p: [q for q in _adjacent(p) if q in points] for p in points}
    seen = set()
    strokes = []
    # start at line ends first, so each stroke runs from one end to the other
    for start in sorted(points, key=lambda p: len(links[p]) != 1):
        for first in links[start]:
            if frozenset((start, first)) in seen:
                continue
            path = [start]
            current, step = start, first
            while step is not None:
                seen.add(frozenset((current, step)))
                path.append(step)
                current = step
                step = next((q for q in links[current] if frozenset((current, q)) not in seen), None)
            strokes.append([(x + 0.5, y + 0.5) for y, x in path])
    lone = [p for p in points if not links[p]]
    strokes.extend([[(x + 0.5, y + 0.5)] * 2 for y, x in lone])
    return strokes


def _adjacent(p):
    y, x = p
    return [(y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]


def redraw(image, pen_width):
    """The digit (uint8 28×28) redrawn along its skeleton with a round pen ``pen_width`` cells wide."""
    ink = np.zeros((28, 28))
    for p0, p1 in pen_segments(image > 100):
        np.maximum(ink, segment_coverage(p0, p1, pen_width), out=ink)
    return ink
