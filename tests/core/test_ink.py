"""The brush: many drawings painted at once exactly as the canvas paints one stroke at a time."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dnngui.core import ink
from tests.support.strokes import painted_like_the_canvas

point = st.tuples(st.floats(-4, 32), st.floats(-4, 32))
stroke = st.lists(point, min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(stroke, min_size=1, max_size=3), min_size=1, max_size=4), st.data())
def test_render_equals_the_canvas_stroke_by_stroke(drawings, data):
    widths = [data.draw(st.floats(ink.MIN_WIDTH, ink.MAX_WIDTH)) for _ in drawings]
    p0, p1, owner = [], [], []
    for k, strokes in enumerate(drawings):
        a, b = ink.segments(strokes)
        p0.append(a)
        p1.append(b)
        owner.append(np.full(len(a), k))
    rendered = ink.render(np.concatenate(p0), np.concatenate(p1), np.concatenate(owner), widths, len(drawings))
    for k, strokes in enumerate(drawings):
        np.testing.assert_allclose(rendered[k], painted_like_the_canvas(strokes, widths[k]), atol=2e-6)


def test_a_click_leaves_a_round_dot_and_a_drag_a_line():
    p0, p1 = ink.segments([[(14.0, 14.0)], [(3.0, 5.0), (20.0, 5.0)]])
    image = ink.render(p0, p1, np.zeros(len(p0), np.intp), [3.0], 1)[0]
    assert image[14, 14] == 1.0 and image[14, 18] == 0.0
    assert (image[5, 4:20] == 1.0).all() and image[9, 10] == 0.0


def test_a_move_of_a_hair_paints_the_dot_the_canvas_paints():
    """A pen that moves 1e-22 cells (hypothesis found it): 1/length² overflowed float32 into NaN ink."""
    strokes = [[(0.0, 0.0), (0.0, 4.634145816514545e-23)], [(14.0, 14.0), (14.0 + 1e-9, 14.0)]]
    p0, p1 = ink.segments(strokes)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        image = ink.render(p0, p1, np.zeros(len(p0), np.intp), [2.2], 1)[0]
    np.testing.assert_allclose(image, painted_like_the_canvas(strokes, 2.2), atol=2e-6)


def test_undo_brings_back_what_clear_wiped_but_the_history_stays_small():
    drawing = ink.Drawing()
    for k in range(ink.MAX_CLEARS + 5):
        drawing.begin((10.0, 10.0 + k % 5))
        drawing.extend((18.0, 10.0 + k % 5))
        drawing.end()
        drawing.clear()
    assert len(drawing._cleared) == ink.MAX_CLEARS
    assert drawing.undo() and not drawing.is_blank


def test_loading_an_image_is_undone_back_to_the_drawing_it_replaced():
    drawing = ink.Drawing()
    drawing.begin((6.0, 6.0))
    drawing.extend((20.0, 20.0))
    drawing.end()
    drawn = drawing.ink.copy()
    loaded = np.zeros((28, 28), np.float32)
    loaded[10:18, 12] = 1.0
    drawing.load(loaded)
    assert np.array_equal(drawing.ink, loaded)
    assert drawing.undo() and np.array_equal(drawing.ink, drawn) and len(drawing.strokes) == 1
    drawing.clear()
    drawing.load(loaded)
    assert drawing.undo() and drawing.is_blank  # the blank canvas it replaced (after a Clear)
    assert drawing.undo() and np.array_equal(drawing.ink, drawn)
