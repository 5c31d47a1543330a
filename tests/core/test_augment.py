import numpy as np

from dnngui.core import data
from dnngui.core.augment import Augmenter, _bilinear


def digits(n=64):
    images, labels = data.load_bundled()
    return (images[:n].reshape(n, -1) / 255.0).astype(np.float32), labels[:n]


def test_output_is_a_new_batch_of_the_same_shape_in_range():
    rows, _ = digits()
    before = rows.copy()
    out = Augmenter()(rows, np.random.default_rng(0))
    assert out.shape == rows.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.array_equal(rows, before)  # the input is untouched
    assert not np.allclose(out, rows)


def test_no_distortion_is_the_identity():
    rows, _ = digits()
    none = Augmenter(shift=0, rotate=0, scale=(1, 1), shear=0, thicken=0, thin=0)
    np.testing.assert_allclose(none(rows, np.random.default_rng(0)), rows, atol=1e-5)


def test_between_pixels_it_blends_the_neighbours_and_reads_zero_past_the_edge():
    rows = np.zeros((1, 784), np.float32)
    image = rows.reshape(28, 28)
    image[10, 10], image[10, 11], image[11, 10], image[11, 11] = 1.0, 0.0, 0.5, 0.25
    image[5, 27] = 1.0  # on the right edge
    source_y, source_x = np.full((1, 784), 10.25, np.float32), np.full((1, 784), 10.5, np.float32)
    source_y[0, 1], source_x[0, 1] = 5.0, 27.5  # half a pixel past the edge
    out = _bilinear(image[None], source_y, source_x)
    upper, lower = (1.0 + 0.0) / 2, (0.5 + 0.25) / 2
    assert out[0, 0] == np.float32(0.75 * upper + 0.25 * lower)
    assert out[0, 1] == np.float32(0.5)  # half the edge pixel, half the zero beyond


def test_a_pure_shift_moves_the_centre_of_mass():
    rows, _ = digits(8)
    shifted = Augmenter(shift=3, rotate=0, scale=(1, 1), shear=0, thicken=0, thin=0)
    out = shifted(rows, np.random.default_rng(1)).reshape(-1, 28, 28)
    grid = np.arange(28)

    def com_x(imgs):
        return (imgs.sum(axis=1) @ grid) / imgs.sum(axis=(1, 2))

    moved = np.abs(com_x(out) - com_x(rows.reshape(-1, 28, 28)))
    assert moved.max() <= 3.2 and moved.mean() > 0.5


def test_thickening_adds_ink_and_thinning_removes_it():
    rows, _ = digits()
    rng = np.random.default_rng(0)
    still = {"shift": 0, "rotate": 0, "scale": (1, 1), "shear": 0}
    thick = Augmenter(**still, thicken=1.0, thin=0.0)(rows, rng)
    thin = Augmenter(**still, thicken=0.0, thin=1.0)(rows, rng)
    assert np.all(thick.sum(axis=1) > rows.sum(axis=1))
    assert np.all(thin.sum(axis=1) < rows.sum(axis=1))
    assert np.all(thin.sum(axis=1) > 0.1 * rows.sum(axis=1))  # strokes thinner, not erased


def test_elastic_distortion_bends_strokes_but_keeps_the_digit():
    rows, _ = digits(16)
    still = {"shift": 0, "rotate": 0, "scale": (1, 1), "shear": 0, "thicken": 0, "thin": 0}
    out = Augmenter(**still, elastic=2.0)(rows, np.random.default_rng(0))
    moved = np.abs(out - rows).sum(axis=1) / rows.sum(axis=1)
    assert np.all(moved > 0.05)  # every digit is bent
    assert np.all(np.abs(out.sum(axis=1) / rows.sum(axis=1) - 1) < 0.2)  # not erased or smeared away
