import numpy as np

from dnngui.core import losses


def naive_bce(A, Y):
    return float(np.mean(-(Y * np.log(A) + (1 - Y) * np.log(1 - A))))


def test_binary_cross_entropy_matches_the_corrected_formula():
    out = losses.get("sigmoid")
    Z = np.array([[-2.0, -0.5, 0.3, 4.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    assert np.isclose(out.cost(Z, Y), naive_bce(out.activate(Z), Y), rtol=1e-12)


def test_binary_cross_entropy_is_positive_and_finite_when_saturated():
    # the article's `A3 += epsilon` leaves log(1 − a) = log(0) here
    out = losses.get("sigmoid")
    Z = np.array([[60.0, -60.0]], np.float32)
    Y = np.array([[0.0, 1.0]], np.float32)
    cost = out.cost(Z, Y)
    assert np.isfinite(cost)
    assert np.isclose(cost, 60.0, rtol=1e-4)


def test_categorical_cross_entropy_matches_minus_log_of_the_true_class():
    out = losses.get("softmax")
    rng = np.random.default_rng(0)
    Z = rng.normal(0, 3, (10, 6))
    labels = np.array([0, 3, 9, 2, 2, 5])
    A = out.activate(Z)
    expected = -np.mean(np.log(A[labels, np.arange(6)]))
    assert np.isclose(out.cost(Z, out.one_hot(labels, 10)), expected, rtol=1e-12)
    np.testing.assert_allclose(A.sum(axis=0), 1.0)


def test_softmax_survives_huge_logits():
    out = losses.get("softmax")
    Z = np.array([[1000.0], [0.0], [-1000.0]], np.float32)
    A = out.activate(Z)
    np.testing.assert_allclose(A[:, 0], [1.0, 0.0, 0.0])
    assert np.isclose(out.cost(Z, out.one_hot([2], 3)), 2000.0)


def test_sigmoid_probabilities_are_two_classes():
    out = losses.get("sigmoid")
    A = out.activate(np.array([[0.0, 10.0]]))
    P = out.probabilities(A)
    assert P.shape == (2, 2)
    np.testing.assert_allclose(P.sum(axis=0), 1.0)
    assert out.predict(A).tolist() == [1, 1]  # 0.5 counts as class 1
