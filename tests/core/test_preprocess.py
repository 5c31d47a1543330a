import numpy as np
import pytest

from dnngui import core
from dnngui.core import data
from dnngui.core.preprocess import to_mnist
from dnngui.core.resources import shipped_model_path


@pytest.fixture(scope="module")
def digits_model():
    return core.load_model(shipped_model_path("digits"))


@pytest.fixture(scope="module")
def validation():
    return data.split(data.bundled())[1]


def test_blank_and_nearly_blank_images_give_nothing():
    assert to_mnist(np.zeros((28, 28))) is None
    assert to_mnist(np.zeros((280, 280))) is None
    speck = np.zeros((280, 280))
    speck[100, 100] = 1.0
    assert to_mnist(speck) is None


def test_output_is_mnist_shaped_box_and_centred():
    image = np.zeros((300, 200))
    image[50:250, 80:120] = 1.0  # a bar 200 tall, 40 wide
    x = to_mnist(image)
    assert x.shape == (784,) and x.dtype == np.float32
    grid = x.reshape(28, 28)
    rows = np.flatnonzero((grid > 0.05).any(axis=1))
    cols = np.flatnonzero((grid > 0.05).any(axis=0))
    assert 20 <= rows[-1] - rows[0] + 1 <= 21  # the longer side becomes 20
    assert 4 <= cols[-1] - cols[0] + 1 <= 6  # the aspect ratio is kept
    ys, xs = np.mgrid[0:28, 0:28]
    assert abs((grid * ys).sum() / grid.sum() - 14.0) < 0.2
    assert abs((grid * xs).sum() / grid.sum() - 14.0) < 0.2


def test_an_mnist_digit_comes_back_almost_unchanged(validation):
    originals = validation.images[:50] / 255.0
    redone = np.array([to_mnist(img) for img in originals])
    assert np.abs(redone - originals.reshape(50, -1)).mean() < 0.05


def test_digits_drawn_at_any_scale_and_place_classify_as_well_as_the_originals(digits_model, validation):
    """Each validation digit enlarged 2–10× and put anywhere on a 280×280 image."""
    rng = np.random.default_rng(0)
    originals = data.as_columns(validation.images)
    baseline = np.mean(digits_model.predict(originals) == validation.labels)
    drawn = []
    for image in validation.images:
        k = int(rng.integers(2, 11))
        big = np.kron(image / 255.0, np.ones((k, k)))
        canvas = np.zeros((280, 280))
        top, left = rng.integers(0, 280 - big.shape[0] + 1, 2)
        canvas[top : top + big.shape[0], left : left + big.shape[1]] = big
        drawn.append(to_mnist(canvas))
    accuracy = np.mean(digits_model.predict(np.array(drawn).T) == validation.labels)
    assert accuracy >= baseline - 0.01, (accuracy, baseline)


def test_a_batch_is_preprocessed_exactly_as_each_drawing_alone(validation):
    rng = np.random.default_rng(3)
    images = validation.images[:20] / 255.0 * rng.uniform(0.5, 1.0, (20, 1, 1))
    images[4] = 0.0  # a blank one among them
    X, drawn = core.preprocess.to_mnist_batch(images)
    assert drawn.tolist() == [i != 4 for i in range(20)]
    assert not X[4].any()
    for i in range(20):
        if i != 4:
            assert np.array_equal(X[i], to_mnist(images[i]))
