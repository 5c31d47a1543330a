"""Digits replayed as mouse strokes on the real canvas, read from predictionLabel.

Each validation digit is thinned to its skeleton and the skeleton is drawn back
with the mouse, stroke by stroke, at the digit's natural size: the canvas's own
brush, preprocessing and the shipped model must read it, as they must read
a person drawing with a mouse or a pen.
"""

from dnngui.core import data
from tests.support.penstrokes import pen_strokes
from tests.support.window import draw


def test_pen_drawn_digits_are_read_from_the_label(window, qtbot):
    val = data.split(data.bundled())[1]
    right = 0
    n = 100
    for image, label in zip(val.images[:n], val.labels[:n], strict=True):
        window.canvas.clear()
        for stroke in pen_strokes(image > 100):
            draw(qtbot, window.canvas, stroke)
        right += window.panel.label.text() == str(label)
    assert right / n >= 0.9
