import os

import numpy as np
import pytest

from dnngui.core import data, personal
from dnngui.core.errors import DataError


def sample(value=0.5):
    x = np.zeros(784)
    x[300:320] = value
    return x


def test_add_keeps_the_network_input_and_label():
    digits = personal.add(personal.empty(), sample(1.0), 7)
    assert len(digits) == 1 and digits.labels.tolist() == [7]
    assert digits.images.dtype == np.uint8 and digits.images[0].reshape(-1)[300] == 255
    with pytest.raises(ValueError):
        personal.add(digits, sample(), 10)


def test_save_and_load_round_trip(tmp_path):
    digits = personal.add(personal.add(personal.empty(), sample(), 3), sample(0.2), 4)
    personal.save(digits, tmp_path / "mine.npz")
    back = personal.load(tmp_path / "mine.npz")
    assert np.array_equal(back.images, digits.images) and back.labels.tolist() == [3, 4]


def test_what_is_written_is_what_is_read_back_one_cap_for_both(tmp_path, monkeypatch):
    """A set saved just under the read cap, then one more label, made a file the next start called damaged."""
    strokes = [(2.2, np.linspace(3, 20, 24, dtype=np.float32).reshape(12, 2))]
    digits = personal.empty()
    for k in range(3):
        digits = personal.add(digits, sample(), k, strokes)
    monkeypatch.setattr(personal, "MAX_BYTES", personal._file_bytes(digits))  # these three fill a file
    personal.save(digits, tmp_path / "mine.npz")
    assert len(personal.load(tmp_path / "mine.npz")) == 3  # at the cap: it reads back
    more = personal.add(digits, sample(), 4, strokes)
    with pytest.raises(DataError, match="more than a drawings file may hold"):
        personal.save(more, tmp_path / "mine.npz")
    assert len(personal.load(tmp_path / "mine.npz")) == 3  # the file as it was
    with pytest.raises(DataError):
        personal.check_size(digits, personal.add(personal.empty(), sample(), 4))


def test_a_crash_mid_write_leaves_the_old_file_valid(tmp_path, monkeypatch):
    path = tmp_path / "mine.npz"
    one = personal.add(personal.empty(), sample(), 1)
    personal.save(one, path)

    def crash(src, dst):  # the process dies after writing the new file, before the rename
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(DataError):
        personal.save(personal.add(one, sample(), 2), path)
    monkeypatch.undo()
    assert personal.load(path).labels.tolist() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["mine.npz"]  # no half-written leftovers


@pytest.mark.parametrize("content", [b"", b"junk", b"PK\x03\x04 half a zip"])
def test_damaged_files_raise_data_error(tmp_path, content):
    (tmp_path / "bad.npz").write_bytes(content)
    with pytest.raises(DataError):
        personal.load(tmp_path / "bad.npz")


def test_mixing_repeats_a_few_samples_until_they_count():
    base = data.split(data.bundled())[0]
    mine = personal.empty()
    for label in range(10):
        mine = personal.add(mine, sample(), label)
    mixed = personal.mix(base, mine)
    extra = len(mixed) - len(base)
    assert extra == 10 * 50  # capped at 50 copies each
    assert 0.05 < extra / len(mixed) < 0.15
    assert personal.mix(base, personal.empty()) is base


def test_drawings_keep_their_strokes_and_version_1_files_still_load(tmp_path):
    seven = ((2.2, np.array([[8, 6], [20, 6], [12, 23]], np.float32)), (1.5, np.array([[10, 14]], np.float32)))
    digits = personal.add(personal.add(personal.empty(), sample(), 7, seven), sample(0.2), 4)
    personal.save(digits, tmp_path / "v2.npz")
    back = personal.load(tmp_path / "v2.npz")
    assert back.labels.tolist() == [7, 4] and back.strokes[1] == ()
    (w0, p0), (w1, p1) = back.strokes[0]
    assert np.allclose([w0, w1], [2.2, 1.5])
    assert np.array_equal(p0, seven[0][1]) and np.array_equal(p1, seven[1][1])
    assert personal.remove(back, [0]).strokes == ((),)  # subsets keep each drawing's own strokes
    np.savez(tmp_path / "v1.npz", format_version=np.array(1), images=digits.images, labels=digits.labels)
    old = personal.load(tmp_path / "v1.npz")
    assert old.labels.tolist() == [7, 4] and old.strokes == ((), ())


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("points", np.full((4, 2), np.nan, np.float32), "finite"),
        ("strokes", np.array([0, 3, 2, 4]), "out of order"),
        ("strokes", np.array([0, 3, 2, 4], np.uint8), "out of order"),
        ("widths", np.array([-1.0, 2.0, 2.0], np.float32), "positive"),
        ("drawing", np.array([0, 5]), "do not fit"),
        ("widths", np.array(2.0, np.float32), "list of positive"),
        ("strokes", np.array(0), "do not fit"),
        ("drawing", np.zeros((2, 2), np.int64), "do not fit"),
        ("points", np.zeros(3, np.float32), "finite"),
    ],
    ids=[
        "NaN points",
        "strokes out of order",
        "unsigned strokes out of order",
        "negative width",
        "too few drawings",
        "0-d widths",
        "0-d strokes",
        "2-d drawing",
        "1-d points",
    ],
)
def test_strokes_that_do_not_hang_together_are_refused(tmp_path, field, value, words):
    strokes = ((2.0, np.zeros((2, 2), np.float32)), (2.0, np.ones((1, 2), np.float32)), (2.0, np.ones((1, 2))))
    digits = personal.add(personal.empty(), sample(), 1, strokes)
    personal.save(digits, tmp_path / "ok.npz")
    with np.load(tmp_path / "ok.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays[field] = value
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(DataError, match=words):
        personal.load(tmp_path / "bad.npz")


def test_drawings_with_strokes_become_pen_digits_that_draw_as_they_were_drawn():
    from dnngui.core import corpus, pen
    from dnngui.core.ink import DEFAULT_WIDTH

    held = corpus.load().pen_validation[0].strokes
    mine = personal.empty()
    for i in range(3):
        strokes = [(DEFAULT_WIDTH, points) for points in pen.canvas_strokes(held, i)]
        mine = personal.add(mine, np.zeros(784), int(held.labels[i]), strokes)
    mine = personal.add(mine, np.zeros(784), 5)  # a drawing without strokes is left out
    redrawn = personal.as_pen_digits(mine, copies=2)
    assert len(redrawn) == 6 and redrawn.labels.tolist() == held.labels[:3].tolist() * 2
    plain = pen.draw(redrawn, np.arange(3)).astype(int)
    assert np.abs(plain - pen.draw(held, np.arange(3)).astype(int)).max() <= 2  # hundredths of a cell apart
    assert personal.as_pen_digits(personal.add(personal.empty(), np.zeros(784), 1)) is None


def test_fine_tuning_changes_how_the_features_vote_not_the_features():
    """A fine-tune keeps the hidden layers' weights and moves the output layer towards the person's digits:
    sevens with a long flat base, which the shipped model does not read as 7s, are read after it."""
    from dnngui import core
    from dnngui.core import corpus, preprocess, recipe
    from dnngui.core.resources import shipped_model_path
    from tests.support.strokes import painted_like_the_canvas

    rng = np.random.default_rng(0)
    mine = personal.empty()
    for _ in range(12):
        j = rng.normal(0, 0.4, 4)
        points = [(8 + j[0], 6.0), (20 + j[1], 6.0), (11 + j[2], 22.0), (21 + j[3], 22.0)]
        mine = personal.add(mine, preprocess.to_mnist(painted_like_the_canvas([points])), 7)
    images, labels = data.load_bundled()
    base = corpus.Corpus("some MNIST digits", data.DigitSet(images[:1000], labels[:1000], "MNIST"), None, ())
    network = core.load_model(shipped_model_path("digits"))
    tuned, run = recipe.fine_tune(network, mine, base)
    for _ in run:
        pass
    for hidden in ("W1", "b1", "W2", "b2"):
        assert np.array_equal(tuned.params[hidden], network.params[hidden])
    X = mine.images.reshape(len(mine), -1).T
    assert np.mean(network.predict(X) == 7) < 0.5 and np.mean(tuned.predict(X) == 7) >= 0.9


def test_a_finished_fine_tune_keeps_half_of_the_output_layer_it_started_from_and_says_the_models_figures(
    monkeypatch,
):
    """The fine-tune's last step blends the output layer it reached with the one it started from, half and
    half (the mean of the two models' votes), and the last epoch's validation figure is that model's."""
    from dnngui.core import corpus, recipe
    from dnngui.core.network import Network
    from dnngui.core.trainer import EpochDone

    images, labels = data.load_bundled()
    validation = data.DigitSet(images[1000:1300], labels[1000:1300], "MNIST validation")
    base = corpus.Corpus("some MNIST digits", data.DigitSet(images[:600], labels[:600], "MNIST"), None, (validation,))
    mine = personal.empty()
    for digit in range(10):
        mine = personal.add(mine, sample(0.1 * digit), digit)  # bars no MNIST digit looks like
    network = Network([784, 16, 10], ["relu"], "softmax", seed=3)

    def fine_tuned():
        tuned, run = recipe.fine_tune(network, mine, base, seed=1)
        return tuned, [r for r in run if isinstance(r, EpochDone)][-1]

    monkeypatch.setattr(recipe, "FINE_TUNE_KEEP", 0.0)
    reached, _ = fine_tuned()
    monkeypatch.undo()
    tuned, last = fine_tuned()
    assert recipe.FINE_TUNE_KEEP == 0.5
    for name in ("W2", "b2"):
        assert not np.allclose(reached.params[name], network.params[name])
        halfway = (network.params[name] + reached.params[name]) / 2
        np.testing.assert_allclose(tuned.params[name], halfway, rtol=1e-5, atol=1e-6)
    assert np.array_equal(tuned.params["W1"], network.params["W1"])
    X = validation.images.reshape(len(validation), -1).T
    cost, accuracy = tuned.evaluate(X, validation.labels)
    assert (last.val_cost, last.val_accuracy) == pytest.approx((cost, accuracy), rel=1e-5)
    assert last.val_cost != pytest.approx(reached.evaluate(X, validation.labels)[0], rel=1e-3)
