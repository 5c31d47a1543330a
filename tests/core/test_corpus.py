"""What a run learns from: scanned and pen-drawn digits, validated apart, pen writers held out whole."""

import dataclasses

import numpy as np
import pytest

from dnngui.core import corpus, pen, pendigits, recipe
from dnngui.core.errors import DataError, HyperParameterError


def test_the_default_corpus_holds_out_mnist_digits_and_whole_pen_writers_of_each_collection():
    c = corpus.load()
    names = ["MNIST validation", "held-out UCI writers", "held-out UNIPEN writers", "held-out UNIPEN lab"]
    assert [v.name for v in c.validation] == names
    assert len(c.images) == 9000 and len(c.validation[0]) == 1000
    assert c.pen_validation == c.validation[1:]
    trained = set(np.unique(c.pen.writers).tolist())
    held = [set(np.unique(v.strokes.writers).tolist()) for v in c.pen_validation]
    assert not trained & set().union(*held) and not held[1] & held[2]  # whole writers, each in one place
    assert max(held[0]) <= 30 and min(held[1] | held[2]) > 1000  # UCI's writers, then UNIPEN's
    assert held[2] == set(pendigits.UNIPEN_HELD_LAB) & set(np.unique(pendigits.bundled_unipen().writers).tolist())
    everyone = len(pendigits.bundled()) + len(pendigits.bundled_unipen())
    assert len(c.pen) + sum(len(v) for v in c.pen_validation) == everyone  # every pen digit is used once
    assert c.sources == (("UCI", 5995), ("UNIPEN", len(c.pen) - 5995))
    assert "5,995 UCI" in c.summary and "1,279 held-out UNIPEN lab" in c.summary
    assert corpus.load("mnist").pen is None and corpus.load("pen").images is None


def test_the_held_out_writers_are_drawn_when_first_read_as_the_canvas_draws_them():
    held = pendigits.split_by_writer(pendigits.bundled())[1]
    c = corpus.from_parts("pen", strokes=pendigits.bundled())
    (drawn,) = c.pen_validation
    assert len(drawn) == len(held) and drawn._images is None  # nothing drawn yet: the window opens sooner
    assert np.array_equal(drawn.images, pen.draw(held)) and drawn.images is drawn.images
    assert np.array_equal(drawn.subset([3, 1]).images, drawn.images[[3, 1]])


def test_a_unipen_digit_is_drawn_by_the_core_brush_as_the_canvas_would():
    unipen = corpus.load().pen_validation[2]
    first = unipen.strokes.subset([0])
    assert np.array_equal(unipen.images[0], pen.draw(first)[0]) and unipen.images[0].max() == 255


def test_each_writer_shows_at_most_its_share_of_an_epoch():
    writers = np.repeat([1, 2, 3], [500, 40, 5])
    balance = recipe.WriterBalance(writers, 50)
    assert balance.per_epoch == 50 + 40 + 5
    rng = np.random.default_rng(0)
    picks = [balance.pick(np.arange(len(writers)) * 10, rng) for _ in range(2)]
    for picked in picks:
        assert np.bincount(writers[picked // 10]).tolist() == [0, 50, 40, 5]
    assert not np.array_equal(picks[0], picks[1])  # another share of writer 1's digits every epoch
    assert recipe.WriterBalance(writers, 0).pick(np.arange(545), rng).tolist() == list(range(545))


def test_pen_digits_by_one_writer_cannot_be_validated_by_writer():
    pen = pendigits.bundled()
    one = pen.subset(pen.writers == 7)
    with pytest.raises(DataError, match="fewer than two writers"):
        corpus.from_parts("one writer", strokes=one)


def test_each_epoch_shows_every_mnist_digit_and_one_fresh_drawing_of_each_pen_digit():
    pen = pendigits.bundled()
    small = corpus.from_parts("small", strokes=pen.subset(np.arange(0, 7494, 25)))
    r = recipe.Recipe(hidden=(8,), epochs=3, batch_size=32, pen_drawings=2, augment=False)
    network, run = recipe.start(r, small)
    records = list(run)
    epochs = [record for record in records if not hasattr(record, "step")]
    assert len(epochs) == 3 and epochs[0].val_by_set[0][0] == "held-out pen writers"
    assert records[0].steps == -(-len(small.pen) // 32)  # one drawing of each pen digit an epoch, not two
    # the same recipe and seed give the same weights: the random pens are seeded too
    again, run = recipe.start(r, small)
    for _ in run:
        pass
    assert all(np.array_equal(network.params[k], again.params[k]) for k in network.params)


def test_the_recipe_refuses_a_bad_number_of_pen_drawings():
    for bad in (0, 33, 2.5, True):
        with pytest.raises(HyperParameterError, match="pen drawings"):
            dataclasses.replace(recipe.Recipe(), pen_drawings=bad).check()
