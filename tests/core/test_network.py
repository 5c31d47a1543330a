import numpy as np
import pytest

from dnngui import core
from dnngui.core import activations

HIDDEN = list(activations.ACTIVATIONS)


def small_batch(out, n_classes=3, m=7, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((6, m))
    labels = rng.integers(0, n_classes, m)
    return X, labels


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_backprop_matches_finite_differences(hidden, output):
    units = 3 if output == "softmax" else 1
    net = core.Network([6, 5, 4, units], hidden, output, seed=3, dtype=np.float64)
    X, labels = small_batch(output, n_classes=3 if output == "softmax" else 2)
    Y = net.output.one_hot(labels, len(net.classes))
    errors = core.gradient_check(net, X, Y)
    assert set(errors) == set(net.params)
    assert max(errors.values()) < 1e-6, errors


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    net = core.Network([6, 5, 3], "tanh", "softmax", seed=0, dtype=np.float64)
    X, labels = small_batch("softmax")
    Y = net.output.one_hot(labels, 3)
    # a backprop that forgets f'(Z) must be caught
    monkeypatch.setattr(type(net.activations[0]), "backprop", lambda self, dA, Z, A, work: None)
    errors = core.gradient_check(net, X, Y)
    assert errors["W1"] > 1e-2


def test_shapes_follow_the_article():
    net = core.Network([784, 16, 8, 10], "relu", "softmax", seed=0)
    assert net.params["W1"].shape == (16, 784)
    assert net.params["b1"].shape == (16, 1)
    assert net.params["W3"].shape == (10, 8)
    X = np.zeros((784, 5), np.uint8)
    forward = net.forward(X)
    assert [z.shape for z in forward.Z[1:]] == [(16, 5), (8, 5), (10, 5)]
    assert forward.A[0].dtype == np.float32
    assert net.predict_proba(X).shape == (10, 5)
    assert net.predict(X).shape == (5,)
    grads = net.gradients(X, net.output.one_hot([0, 1, 2, 3, 4], 10))
    assert {k: v.shape for k, v in grads.items()} == {k: v.shape for k, v in net.params.items()}


def test_default_shape_is_the_articles_four_layers():
    net = core.Network()
    assert net.depth == 3
    assert net.sizes[0] == 784 and net.sizes[-1] == 10


def test_per_layer_activations():
    net = core.Network([4, 3, 3, 2], ["tanh", "swish"], "softmax")
    assert net.activation_names == ["tanh", "swish"]
    with pytest.raises(ValueError, match="2 hidden layers need 2"):
        core.Network([4, 3, 3, 2], ["tanh"], "softmax")


def test_same_seed_same_weights_other_seed_other_weights():
    a = core.Network([10, 8, 3], seed=5)
    b = core.Network([10, 8, 3], seed=5)
    c = core.Network([10, 8, 3], seed=6)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W1"], c.params["W1"])


def test_initialisation_suits_the_activation():
    he = core.Network([2000, 500, 10], "relu", seed=0).params["W1"].std()
    glorot = core.Network([2000, 500, 10], "tanh", seed=0).params["W1"].std()
    assert np.isclose(he, np.sqrt(2 / 2000), rtol=0.02)
    assert np.isclose(glorot, np.sqrt(2 / 2500), rtol=0.02)


def test_sigmoid_output_predicts_its_class_labels():
    net = core.Network([4, 3, 1], "relu", "sigmoid", classes=[0, 1])
    P = net.predict_proba(np.random.default_rng(0).random((4, 6)))
    assert P.shape == (2, 6)
    np.testing.assert_allclose(P.sum(axis=0), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match="1 unit"):
        core.Network([4, 3, 2], "relu", "sigmoid")


def test_uint8_pixels_are_read_as_fractions():
    net = core.Network([4, 3, 2], seed=0)
    pixels = np.array([[0], [255], [51], [102]], np.uint8)
    np.testing.assert_allclose(net.forward(pixels).A[0][:, 0], [0, 1, 0.2, 0.4], rtol=1e-6)
    np.testing.assert_allclose(net.predict_proba(pixels), net.predict_proba(pixels / 255.0), rtol=1e-5)


def test_copy_is_independent():
    net = core.Network([4, 3, 2], seed=0)
    clone = net.copy()
    clone.params["W1"] += 1
    assert not np.array_equal(net.params["W1"], clone.params["W1"])


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "swish"])
@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_the_input_gradient_matches_finite_differences(activation, output):
    """dX = W1ᵀ·dZ1 against (J(X + ε) − J(X − ε)) / 2ε, entry by entry, in float64."""
    rng = np.random.default_rng(1)
    units = 1 if output == "sigmoid" else 4
    net = core.Network([7, 6, 5, units], activation, output, seed=3, dtype=np.float64)
    X = rng.uniform(0.05, 0.95, (7, 3))
    labels = rng.integers(0, 2 if output == "sigmoid" else 4, 3)
    Y = net.output.one_hot(labels, 2 if output == "sigmoid" else 4)
    dX = net.input_gradient(X, Y)
    assert dX.shape == X.shape
    numeric = np.zeros_like(X)
    eps = 1e-6
    for i in np.ndindex(X.shape):
        plus, minus = X.copy(), X.copy()
        plus[i] += eps
        minus[i] -= eps
        numeric[i] = (net.cost(plus, Y) - net.cost(minus, Y)) / (2 * eps)
    error = np.linalg.norm(numeric - dX) / (np.linalg.norm(numeric) + np.linalg.norm(dX))
    assert error < 1e-7, error
    np.testing.assert_allclose(dX, net.backprop(X, Y).dX, rtol=1e-10, atol=1e-14)  # the full backward pass's dX
