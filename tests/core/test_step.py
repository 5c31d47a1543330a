"""One step on one drawing, saliency and nudging: the numbers are the backward pass's own."""

import numpy as np
import pytest

from dnngui import core
from dnngui.core import data, step
from dnngui.core.preprocess import to_mnist
from dnngui.core.resources import shipped_model_path


@pytest.fixture(scope="module")
def digits_model():
    return core.load_model(shipped_model_path("digits"))


@pytest.fixture(scope="module")
def a_seven():
    val = data.split(data.bundled())[1]
    return val.images[val.labels == 7][0].reshape(-1) / 255.0


def test_one_step_shows_the_backward_pass_and_raises_the_chosen_class(digits_model, a_seven):
    k = 1  # teach it that this seven is a one
    record, after = step.one_step(digits_model, a_seven, k, lr=0.05)
    Y = np.zeros((10, 1))
    Y[k] = 1
    expected = digits_model.gradients(a_seven.reshape(-1, 1), Y)
    for name in ("W1", "W2", "W3"):
        np.testing.assert_allclose(record.dW[name], expected[name], rtol=1e-5, atol=1e-7)
        assert record.dW[name].shape == digits_model.params[name].shape
        assert record.norm(name) == pytest.approx(np.linalg.norm(expected[name]), rel=1e-5)
    np.testing.assert_allclose(record.dZ[3], record.before - Y[:, 0], atol=1e-6)  # dZ(L) = A(L) − Y
    assert record.after[k] > record.before[k]
    np.testing.assert_allclose(record.after, after.predict_proba(a_seven.reshape(-1, 1))[:, 0], atol=1e-6)
    assert not np.array_equal(after.params["W1"], digits_model.params["W1"])  # the original is untouched
    assert record.cost == pytest.approx(-np.log(record.before[k]), rel=1e-4)


def test_saliency_is_minus_the_input_gradient(digits_model, a_seven):
    s = step.saliency(digits_model, a_seven, 7)
    Y = np.zeros((10, 1))
    Y[7] = 1
    np.testing.assert_allclose(s, -digits_model.input_gradient(a_seven.reshape(-1, 1), Y)[:, 0], atol=1e-7)
    why_not_one = step.saliency(digits_model, a_seven, 7, against=1)
    assert why_not_one.shape == (784,) and not np.allclose(why_not_one, s)


def test_a_few_small_nudges_flip_the_guess_even_through_the_preprocessing(digits_model, a_seven):
    drawing = a_seven.reshape(28, 28)
    nudged = step.nudge(digits_model, drawing, 3, steps=30, size=0.02)
    path = nudged.path
    guesses = [int(digits_model.predict(to_mnist(image).reshape(-1, 1))[0]) for image in path]
    assert nudged.read and guesses[-1] == 3  # read as the canvas reads it, the nudged seven becomes a 3
    assert 3 not in guesses[:-1]  # and the path stops there
    assert int(digits_model.predict(to_mnist(drawing).reshape(-1, 1))[0]) == 7
    assert all(image.min() >= 0 and image.max() <= 1 for image in path)
    assert np.abs(path[-1] - drawing).max() <= 30 * 0.02 + 1e-6
