"""Strokes painted as the canvas paints them, one point at a time (no Qt)."""

from dnngui.core import ink


def painted_like_the_canvas(strokes, width=ink.DEFAULT_WIDTH):
    """The (28, 28) ink a Drawing holds after ``strokes`` (lists of points in cells) with a brush ``width``."""
    drawing = ink.Drawing()
    for points in strokes:
        drawing.begin(points[0], width)
        for p in points[1:]:
            drawing.extend(p)
        drawing.end()
    return drawing.ink
