"""Pen digits drawn on the canvas as a person would: the same input as a replay, a fresh pen each time."""

import numpy as np
import pytest

from dnngui import core
from dnngui.core import pen, pendigits
from dnngui.core.preprocess import to_mnist
from dnngui.core.resources import shipped_model_path
from tests.support.strokes import painted_like_the_canvas


@pytest.fixture(scope="module")
def pen_digits():
    return pendigits.bundled().subset(np.arange(0, 7494, 37))


def replay(strokes):
    return to_mnist(painted_like_the_canvas(strokes))


def test_draw_gives_what_the_canvas_gives_for_the_same_strokes(pen_digits):
    images = pen.draw(pen_digits, np.arange(12))
    for i in range(12):
        x = replay(pen.canvas_strokes(pen_digits, i))
        assert np.array_equal(images[i].reshape(-1), np.rint(x * 255).astype(np.uint8))


def test_digits_drawn_together_are_drawn_as_each_would_be_alone(pen_digits):
    index = np.arange(len(pen_digits))
    assert len(index) > pen.PAINT_CHUNK  # painted in more than one chunk
    together = pen.draw(pen_digits, index)
    for i in (0, pen.PAINT_CHUNK - 1, pen.PAINT_CHUNK, len(index) - 1):
        assert np.array_equal(together[i], pen.draw(pen_digits, [i])[0])


def test_canvas_strokes_stand_on_the_canvas_upright(pen_digits):
    one = int(np.flatnonzero(pen_digits.labels == 7)[0])
    strokes = pen.canvas_strokes(pen_digits, one, size=20)
    points = np.concatenate(strokes)
    assert np.allclose(points.min(axis=0).max(), 4.0) or np.isclose(points.max(axis=0) - points.min(axis=0), 20).any()
    assert (points >= 4.0 - 1e-9).all() and (points <= 24.0 + 1e-9).all()
    # a 7's bar is at its top: the first stroke starts high on the canvas (small y)
    assert strokes[0][0, 1] < 14


def test_a_random_pen_draws_each_digit_afresh_and_the_seed_repeats_it(pen_digits):
    index = np.arange(40)
    a = pen.Pen().draw(pen_digits, index, np.random.default_rng(1))
    b = pen.Pen().draw(pen_digits, index, np.random.default_rng(1))
    c = pen.Pen().draw(pen_digits, index, np.random.default_rng(2))
    assert a.shape == (40, 28, 28) and a.dtype == np.uint8
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert (a.reshape(40, -1).sum(axis=1) > 255 * 20).all()  # every digit is inked, however thin the pen


def test_the_shipped_model_reads_freshly_drawn_pen_digits(pen_digits):
    network = core.load_model(shipped_model_path("digits"))
    images = pen.Pen().draw(pen_digits, np.arange(len(pen_digits)), np.random.default_rng(0))
    accuracy = (network.predict(images.reshape(len(images), -1).T) == pen_digits.labels).mean()
    assert accuracy > 0.9


def test_a_pool_draws_each_digit_its_number_of_times_early_in_the_run(pen_digits):
    n, slots, epochs = len(pen_digits), 4, 40
    pool = pen.Pool(pen_digits, slots, epochs)
    rows = np.zeros((slots * n, 784), np.uint8)
    rng = np.random.default_rng(0)
    first = pool.refresh(1, rows, rng)
    assert (first == np.arange(n)).all() and (rows[:n].sum(axis=1) > 0).all()  # epoch 1 draws every digit
    for epoch in range(2, epochs + 1):
        chosen = pool.refresh(epoch, rows, rng)
        assert chosen.shape == (n,) and (chosen % n == np.arange(n)).all()  # one drawing of each digit
        assert (rows[chosen].sum(axis=1) > 0).all()  # and one that has been drawn
        if epoch == pool.last_drawing_epoch:
            drawn_early = pool.drawn.copy()
    assert drawn_early.min() >= slots and (pool.drawn == drawn_early).all()  # no drawing after the first quarter
    assert (rows.sum(axis=1) > 0).all()  # every slot of every digit was used


def test_styles_add_a_stroke_to_zeros_ones_and_sevens_only(pen_digits):
    """A slashed zero, a flagged or based one, a crossed seven: one stroke more, where the digit is."""
    index = np.arange(len(pen_digits))
    m = len(index)
    points = pen._normalise(pen._gather(pen_digits, index), m)
    styled = pen._add_styles(points, pen_digits.labels, 1.0, np.random.default_rng(0))
    strokes_of = lambda p: np.array([len(np.unique(p.stroke[p.digit == i])) for i in range(m)])  # noqa: E731
    added = strokes_of(styled) - strokes_of(points)
    labels = pen_digits.labels
    assert (added[np.isin(labels, (0, 7))] == 1).all()
    assert np.isin(added[labels == 1], (1, 2)).all() and (added[labels == 1] == 2).any()
    assert (added[~np.isin(labels, (0, 1, 7))] == 0).all()
    old = len(points.xy)
    np.testing.assert_array_equal(styled.xy[:old], points.xy)  # the writer's strokes are as they were
    new = styled.xy[old:]
    assert np.abs(new).max() < 1.0  # beside the digit (its box is centred on 0, its longer side 1)


def test_a_pen_with_styles_draws_the_stroke_it_adds(pen_digits):
    """The added stroke is painted: a styled zero, one or seven carries more ink than the same pen draws without it."""
    chosen = np.flatnonzero(np.isin(pen_digits.labels, (0, 1, 7)))
    fixed = dict(size=(20, 20), width=(2.2, 2.2), rotate=0, slant=0, stretch=(1, 1), jitter=0, drop=0, smooth=0)
    plain = pen.Pen(**fixed).draw(pen_digits, chosen, np.random.default_rng(0))
    styled = pen.Pen(**fixed, styles=1.0).draw(pen_digits, chosen, np.random.default_rng(0))
    ink_plain, ink_styled = (a.astype(float).sum(axis=(1, 2)) for a in (plain, styled))
    assert np.mean(ink_styled > ink_plain) > 0.9
